// Stand-in models with the exact geometry of real small FIM code models and random Q8_0 weights, built from
// the StarCoder vocabulary (real BPE tokenizer and FIM tokens) in bench/data/vocab. Idea from
// ../shared/tools/gguf (our own Python scripts), ported here so the bench needs neither Python nor numpy.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  constF32, GgufMetadata, GgufValueType, randomF16, randomQ8, RandomBytes, readGgufMetadata, TensorSpec, writeGguf,
  GgufArray, GgufValue,
} from './gguf';

export const BENCH_ROOT = path.resolve(__dirname, '..', '..', '..', 'bench');
export const VOCAB_PATH = path.join(BENCH_ROOT, 'data', 'vocab', 'ggml-vocab-starcoder.gguf');
export const CACHE_DIR = path.join(BENCH_ROOT, '.cache');

export type ModelShape = 'starcoder-164m' | 'qwen2-0.5b' | 'starcoder-toy';

export interface ModelSpec {
  shape: ModelShape;
  /** What real model it stands in for. */
  standsFor: string;
  file: string;
}

/** Bump when the generator changes, so a cached file from an older generator is rebuilt. */
const GENERATOR_VERSION = 1;

export const MODEL_SPECS: Record<ModelShape, ModelSpec> = {
  'starcoder-164m': { shape: 'starcoder-164m', standsFor: 'tiny_starcoder_py (164M, StarCoder arch, MQA)', file: `starcoder-164m-q8_0-v${GENERATOR_VERSION}.gguf` },
  'qwen2-0.5b': { shape: 'qwen2-0.5b', standsFor: 'Qwen2.5-Coder-0.5B (qwen2 arch, GQA 14/2)', file: `qwen2-0.5b-q8_0-v${GENERATOR_VERSION}.gguf` },
  'starcoder-toy': { shape: 'starcoder-toy', standsFor: 'a 2 × 64 StarCoder toy (plumbing only)', file: `starcoder-toy-q8_0-v${GENERATOR_VERSION}.gguf` },
};

function str(v: string): GgufValue { return { type: GgufValueType.STRING, value: v }; }
function u32(v: number): GgufValue { return { type: GgufValueType.U32, value: v }; }
function f32(v: number): GgufValue { return { type: GgufValueType.F32, value: v }; }

function tokenizerOf(vocab: GgufMetadata): GgufMetadata {
  const out: GgufMetadata = new Map();
  for (const [k, v] of vocab) if (k.startsWith('tokenizer.')) out.set(k, v);
  if (!out.has('tokenizer.ggml.tokens')) throw new Error('vocabulary file has no tokenizer.ggml.tokens');
  return out;
}

interface StarcoderGeometry { nEmbd: number; nFf: number; nLayer: number; nHead: number; nHeadKv: number; nCtx: number }

function starcoderModel(vocab: GgufMetadata, g: StarcoderGeometry, rng: RandomBytes): { meta: GgufMetadata; tensors: TensorSpec[] } {
  const meta: GgufMetadata = new Map([
    ['general.architecture', str('starcoder')],
    ['general.name', str(`synthetic-random-starcoder-${g.nLayer}x${g.nEmbd}`)],
    ['general.file_type', u32(7)], // mostly Q8_0
    ['starcoder.context_length', u32(g.nCtx)],
    ['starcoder.embedding_length', u32(g.nEmbd)],
    ['starcoder.feed_forward_length', u32(g.nFf)],
    ['starcoder.block_count', u32(g.nLayer)],
    ['starcoder.attention.head_count', u32(g.nHead)],
    ['starcoder.attention.head_count_kv', u32(g.nHeadKv)],
    ['starcoder.attention.layer_norm_epsilon', f32(1e-5)],
  ]);
  for (const [k, v] of tokenizerOf(vocab)) meta.set(k, v);
  const nVocab = (vocab.get('tokenizer.ggml.tokens')!.value as GgufArray).items.length;
  const T: TensorSpec[] = [];
  const E = g.nEmbd;
  T.push(randomQ8('token_embd.weight', E, nVocab, rng));
  T.push(randomF16('position_embd.weight', E, g.nCtx, rng));
  T.push(constF32('output_norm.weight', E, 1), constF32('output_norm.bias', E, 0));
  const qkv = E + 2 * (E / g.nHead) * g.nHeadKv;
  for (let i = 0; i < g.nLayer; i++) {
    const p = `blk.${i}.`;
    T.push(constF32(p + 'attn_norm.weight', E, 1), constF32(p + 'attn_norm.bias', E, 0));
    T.push(randomQ8(p + 'attn_qkv.weight', E, qkv, rng), constF32(p + 'attn_qkv.bias', qkv, 0));
    T.push(randomQ8(p + 'attn_output.weight', E, E, rng), constF32(p + 'attn_output.bias', E, 0));
    T.push(constF32(p + 'ffn_norm.weight', E, 1), constF32(p + 'ffn_norm.bias', E, 0));
    T.push(randomQ8(p + 'ffn_up.weight', E, g.nFf, rng), constF32(p + 'ffn_up.bias', g.nFf, 0));
    T.push(randomQ8(p + 'ffn_down.weight', g.nFf, E, rng), constF32(p + 'ffn_down.bias', E, 0));
  }
  return { meta, tensors: T };
}

function qwen2Model(vocab: GgufMetadata, rng: RandomBytes): { meta: GgufMetadata; tensors: TensorSpec[] } {
  const E = 896, nFf = 4864, nLayer = 24, nHead = 14, nHeadKv = 2, nCtx = 32768, nVocab = 151936;
  const meta: GgufMetadata = new Map([
    ['general.architecture', str('qwen2')],
    ['general.name', str('synthetic-random-qwen2-0.5b-shape')],
    ['general.file_type', u32(7)],
    ['qwen2.context_length', u32(nCtx)],
    ['qwen2.embedding_length', u32(E)],
    ['qwen2.feed_forward_length', u32(nFf)],
    ['qwen2.block_count', u32(nLayer)],
    ['qwen2.attention.head_count', u32(nHead)],
    ['qwen2.attention.head_count_kv', u32(nHeadKv)],
    ['qwen2.rope.freq_base', f32(1e6)],
    ['qwen2.attention.layer_norm_rms_epsilon', f32(1e-6)],
  ]);
  for (const [k, v] of tokenizerOf(vocab)) meta.set(k, v);
  // The StarCoder vocabulary padded with unused tokens to Qwen2.5's 151,936, so the output layer costs the same.
  const tokens = (vocab.get('tokenizer.ggml.tokens')!.value as GgufArray).items.slice();
  const types = (vocab.get('tokenizer.ggml.token_type')!.value as GgufArray).items.slice();
  for (let i = tokens.length; i < nVocab; i++) { tokens.push(`<|synthetic_pad_${i}|>`); types.push(5); }
  meta.set('tokenizer.ggml.tokens', { type: GgufValueType.ARRAY, value: { itemType: GgufValueType.STRING, items: tokens } });
  meta.set('tokenizer.ggml.token_type', { type: GgufValueType.ARRAY, value: { itemType: GgufValueType.I32, items: types } });
  const kvd = (E / nHead) * nHeadKv;
  const T: TensorSpec[] = [randomQ8('token_embd.weight', E, nVocab, rng), constF32('output_norm.weight', E, 1)];
  for (let i = 0; i < nLayer; i++) {
    const p = `blk.${i}.`;
    T.push(constF32(p + 'attn_norm.weight', E, 1));
    T.push(randomQ8(p + 'attn_q.weight', E, E, rng), constF32(p + 'attn_q.bias', E, 0));
    T.push(randomQ8(p + 'attn_k.weight', E, kvd, rng), constF32(p + 'attn_k.bias', kvd, 0));
    T.push(randomQ8(p + 'attn_v.weight', E, kvd, rng), constF32(p + 'attn_v.bias', kvd, 0));
    T.push(randomQ8(p + 'attn_output.weight', E, E, rng));
    T.push(constF32(p + 'ffn_norm.weight', E, 1));
    T.push(randomQ8(p + 'ffn_gate.weight', E, nFf, rng), randomQ8(p + 'ffn_up.weight', E, nFf, rng));
    T.push(randomQ8(p + 'ffn_down.weight', nFf, E, rng));
  }
  return { meta, tensors: T };
}

export interface GeneratedModel { spec: ModelSpec; path: string; bytes: number; generatedMs: number; cached: boolean }

/** Returns the cached stand-in model, generating it first when missing. */
export function ensureModel(shape: ModelShape, cacheDir = CACHE_DIR, vocabPath = VOCAB_PATH): GeneratedModel {
  const spec = MODEL_SPECS[shape];
  const dir = path.join(cacheDir, 'models');
  const file = path.join(dir, spec.file);
  if (fs.existsSync(file)) return { spec, path: file, bytes: fs.statSync(file).size, generatedMs: 0, cached: true };
  if (!fs.existsSync(vocabPath)) throw new Error(`vocabulary file missing: ${vocabPath}`);
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const vocab = readGgufMetadata(vocabPath);
  const rng = new RandomBytes(shape === 'qwen2-0.5b' ? 99 : 1234);
  const model = shape === 'qwen2-0.5b' ? qwen2Model(vocab, rng)
    : shape === 'starcoder-164m' ? starcoderModel(vocab, { nEmbd: 768, nFf: 3072, nLayer: 20, nHead: 12, nHeadKv: 1, nCtx: 8192 }, rng)
      : starcoderModel(vocab, { nEmbd: 64, nFf: 256, nLayer: 2, nHead: 4, nHeadKv: 1, nCtx: 2048 }, rng);
  writeGguf(file, model.meta, model.tensors);
  return { spec, path: file, bytes: fs.statSync(file).size, generatedMs: performance.now() - t0, cached: false };
}
