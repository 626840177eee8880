// A small GGUF v3 reader/writer, written from the GGUF spec, enough to take the tokenizer out of a
// vocabulary-only file and write a model with a real geometry and random Q8_0 weights. Such a model is a
// speed stand-in: its compute per token equals the real model's, its text is gibberish.
import * as fs from 'node:fs';

export enum GgufValueType {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9, U64 = 10, I64 = 11, F64 = 12,
}

export enum GgmlType { F32 = 0, F16 = 1, Q8_0 = 8 }

export type GgufScalar = number | bigint | boolean | string;
export interface GgufArray { itemType: GgufValueType; items: GgufScalar[] }
export interface GgufValue { type: GgufValueType; value: GgufScalar | GgufArray }
export type GgufMetadata = Map<string, GgufValue>;

const SCALAR_SIZE: Partial<Record<GgufValueType, number>> = {
  [GgufValueType.U8]: 1, [GgufValueType.I8]: 1, [GgufValueType.BOOL]: 1,
  [GgufValueType.U16]: 2, [GgufValueType.I16]: 2,
  [GgufValueType.U32]: 4, [GgufValueType.I32]: 4, [GgufValueType.F32]: 4,
  [GgufValueType.U64]: 8, [GgufValueType.I64]: 8, [GgufValueType.F64]: 8,
};

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}
  scalar(type: GgufValueType): GgufScalar {
    const b = this.buf, o = this.offset;
    const size = SCALAR_SIZE[type];
    if (size === undefined) {
      if (type === GgufValueType.STRING) return this.string();
      throw new Error(`GGUF: unexpected value type ${type}`);
    }
    if (o + size > b.length) throw new Error('GGUF: file ends inside a value');
    this.offset += size;
    switch (type) {
      case GgufValueType.U8: return b.readUInt8(o);
      case GgufValueType.I8: return b.readInt8(o);
      case GgufValueType.BOOL: return b.readUInt8(o) !== 0;
      case GgufValueType.U16: return b.readUInt16LE(o);
      case GgufValueType.I16: return b.readInt16LE(o);
      case GgufValueType.U32: return b.readUInt32LE(o);
      case GgufValueType.I32: return b.readInt32LE(o);
      case GgufValueType.F32: return b.readFloatLE(o);
      case GgufValueType.U64: return b.readBigUInt64LE(o);
      case GgufValueType.I64: return b.readBigInt64LE(o);
      default: return b.readDoubleLE(o);
    }
  }
  u32(): number { return this.scalar(GgufValueType.U32) as number; }
  u64(): number { return Number(this.scalar(GgufValueType.U64) as bigint); }
  string(): string {
    const n = this.u64();
    if (this.offset + n > this.buf.length) throw new Error('GGUF: file ends inside a string');
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
  value(type: GgufValueType): GgufScalar | GgufArray {
    if (type !== GgufValueType.ARRAY) return this.scalar(type);
    const itemType = this.u32() as GgufValueType;
    const n = this.u64();
    const items: GgufScalar[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = this.scalar(itemType);
    return { itemType, items };
  }
}

/** Reads the metadata (key/value) section of a GGUF file; tensors are not read. */
export function readGgufMetadata(path: string): GgufMetadata {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'GGUF') throw new Error(`${path} is not a GGUF file (bad magic)`);
  const r = new Reader(buf);
  r.offset = 4;
  const version = r.u32();
  if (version < 2) throw new Error(`${path}: GGUF version ${version} is not supported (need 2 or 3)`);
  r.u64(); // tensor count: not needed
  const kvCount = r.u64();
  const meta: GgufMetadata = new Map();
  for (let i = 0; i < kvCount; i++) {
    const key = r.string();
    const type = r.u32() as GgufValueType;
    meta.set(key, { type, value: r.value(type) });
  }
  return meta;
}

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void { this.chunks.push(b); this.length += b.length; }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  u64(v: number): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  string(s: string): void { const e = Buffer.from(s, 'utf8'); this.u64(e.length); this.push(e); }
  scalar(type: GgufValueType, v: GgufScalar): void {
    if (type === GgufValueType.STRING) return this.string(String(v));
    const size = SCALAR_SIZE[type];
    if (size === undefined) throw new Error(`GGUF: cannot write value type ${type}`);
    const b = Buffer.alloc(size);
    switch (type) {
      case GgufValueType.U8: b.writeUInt8(Number(v)); break;
      case GgufValueType.I8: b.writeInt8(Number(v)); break;
      case GgufValueType.BOOL: b.writeUInt8(v ? 1 : 0); break;
      case GgufValueType.U16: b.writeUInt16LE(Number(v)); break;
      case GgufValueType.I16: b.writeInt16LE(Number(v)); break;
      case GgufValueType.U32: b.writeUInt32LE(Number(v)); break;
      case GgufValueType.I32: b.writeInt32LE(Number(v)); break;
      case GgufValueType.F32: b.writeFloatLE(Number(v)); break;
      case GgufValueType.U64: b.writeBigUInt64LE(BigInt(v as number | bigint)); break;
      case GgufValueType.I64: b.writeBigInt64LE(BigInt(v as number | bigint)); break;
      default: b.writeDoubleLE(Number(v));
    }
    this.push(b);
  }
  value(v: GgufValue): void {
    if (v.type !== GgufValueType.ARRAY) return this.scalar(v.type, v.value as GgufScalar);
    const arr = v.value as GgufArray;
    this.u32(arr.itemType);
    this.u64(arr.items.length);
    for (const item of arr.items) this.scalar(arr.itemType, item);
  }
  toBuffer(): Buffer { return Buffer.concat(this.chunks, this.length); }
}

/** A tensor whose bytes are produced on demand, so a 500 MB model never sits in memory at once. */
export interface TensorSpec {
  name: string;
  /** ggml order: ne0 (row length) first. */
  shape: number[];
  type: GgmlType;
  /** Writes the tensor's bytes through `write`, in as many pieces as it likes. */
  produce(write: (bytes: Uint8Array) => void): void;
}

export function tensorByteLength(t: Pick<TensorSpec, 'shape' | 'type'>): number {
  const n = t.shape.reduce((a, b) => a * b, 1);
  switch (t.type) {
    case GgmlType.F32: return n * 4;
    case GgmlType.F16: return n * 2;
    case GgmlType.Q8_0:
      if (t.shape[0] % 32 !== 0) throw new Error(`Q8_0 rows must be a multiple of 32 (got ${t.shape[0]})`);
      return (n / 32) * 34;
  }
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Writes a GGUF v3 file: header, metadata, tensor infos, then each tensor's data aligned to `alignment`. */
export function writeGguf(path: string, meta: GgufMetadata, tensors: TensorSpec[], alignment = 32): void {
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'latin1'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(meta.size);
  for (const [key, v] of meta) { w.string(key); w.u32(v.type); w.value(v); }
  let dataOffset = 0;
  const sizes = tensors.map(tensorByteLength);
  tensors.forEach((t, i) => {
    w.string(t.name);
    w.u32(t.shape.length);
    for (const d of t.shape) w.u64(d);
    w.u32(t.type);
    w.u64(dataOffset);
    dataOffset = alignUp(dataOffset + sizes[i], alignment);
  });
  w.push(Buffer.alloc(alignUp(w.length, alignment) - w.length));

  const tmp = `${path}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, w.toBuffer());
    tensors.forEach((t, i) => {
      let written = 0;
      t.produce(bytes => { fs.writeSync(fd, bytes); written += bytes.length; });
      if (written !== sizes[i]) throw new Error(`tensor ${t.name}: wrote ${written} bytes, expected ${sizes[i]}`);
      const pad = alignUp(written, alignment) - written;
      if (pad) fs.writeSync(fd, Buffer.alloc(pad));
    });
  } finally {
    fs.closeSync(fd);
  }
  // Rename last so an interrupted run never leaves a truncated model that looks complete.
  fs.renameSync(tmp, path);
}

/** IEEE half precision bits of `x` (round to nearest), for Q8_0 scales and F16 tensors. */
export function floatToHalfBits(x: number): number {
  const f32 = new Float32Array([x]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  let exp = ((bits >>> 23) & 0xff) - 127 + 15;
  let mant = bits & 0x7fffff;
  if (exp >= 0x1f) return sign | 0x7c00; // overflow -> inf
  if (exp <= 0) {
    if (exp < -10) return sign; // underflow -> 0
    mant = (mant | 0x800000) >> (1 - exp);
    return sign | ((mant + 0x1000) >> 13);
  }
  const half = sign | (exp << 10) | (mant >> 13);
  return (mant & 0x1000) ? half + 1 : half;
}

/** A small seeded generator (xorshift32): the same model bytes on every machine, fast enough for 500 MB. */
export class RandomBytes {
  private state: number;
  constructor(seed: number) { this.state = (seed >>> 0) || 0x9e3779b9; }
  fill(out: Uint8Array): void {
    const words = new Uint32Array(Math.ceil(out.length / 4));
    let s = this.state;
    for (let i = 0; i < words.length; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      words[i] = s;
    }
    this.state = s;
    out.set(new Uint8Array(words.buffer, 0, out.length));
  }
}

const CHUNK_BLOCKS = 64 * 1024; // 64k Q8_0 blocks = 2.2 MB per write

/** Q8_0 tensor (ne0 × ne1) with random int8 quants and one scale: values of about ±std. */
export function randomQ8(name: string, ne0: number, ne1: number, rng: RandomBytes, std = 0.02): TensorSpec {
  const spec: TensorSpec = {
    name, shape: [ne0, ne1], type: GgmlType.Q8_0,
    produce(write) {
      const scale = floatToHalfBits(std / 73); // uniform int8 has std ≈ 73
      let blocks = (ne0 * ne1) / 32;
      const quants = new Uint8Array(CHUNK_BLOCKS * 32);
      while (blocks > 0) {
        const n = Math.min(blocks, CHUNK_BLOCKS);
        const out = new Uint8Array(n * 34);
        rng.fill(quants.subarray(0, n * 32));
        for (let b = 0; b < n; b++) {
          const o = b * 34;
          out[o] = scale & 0xff;
          out[o + 1] = scale >> 8;
          out.set(quants.subarray(b * 32, b * 32 + 32), o + 2);
        }
        write(out);
        blocks -= n;
      }
    },
  };
  return spec;
}

/** F16 tensor with small random values (StarCoder's learned position embeddings). */
export function randomF16(name: string, ne0: number, ne1: number, rng: RandomBytes, std = 0.01): TensorSpec {
  // 256 evenly spread values of roughly the wanted spread, picked by random bytes: cheap and good enough.
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) table[i] = floatToHalfBits(((i - 127.5) / 73.9) * std);
  return {
    name, shape: [ne0, ne1], type: GgmlType.F16,
    produce(write) {
      let n = ne0 * ne1;
      const picks = new Uint8Array(1 << 20);
      while (n > 0) {
        const m = Math.min(n, picks.length);
        rng.fill(picks.subarray(0, m));
        const out = new Uint16Array(m);
        for (let i = 0; i < m; i++) out[i] = table[picks[i]];
        write(new Uint8Array(out.buffer));
        n -= m;
      }
    },
  };
}

/** F32 vector filled with one value (norm weights 1, biases 0). */
export function constF32(name: string, n: number, value: number): TensorSpec {
  return {
    name, shape: [n], type: GgmlType.F32,
    produce(write) { write(new Uint8Array(new Float32Array(n).fill(value).buffer)); },
  };
}
