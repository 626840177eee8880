// Where a generated function goes and what the model sees: the line after the comment at the comment's
// indentation, a FIM prefix/suffix around that spot (the prefix ends with the start of the function), and a
// chat prompt for models without FIM.
import type { FoundComment } from './comments';
import { functionStyle, joinSeed, PLAIN_STYLE, reindentToUnit, withStyleKeywords, type FunctionStyle } from './conventions';
import { commandLanguage, rulesFor, type CommandLanguage } from './languageRules';
import { dedent, escapeRegExp, lineEnd, reindent } from './text';

export interface FunctionInsertion {
  languageId: string;
  language: CommandLanguage;
  /** The edit replaces [start, end) of the document with `leading + functionText + trailing`. */
  start: number;
  end: number;
  /** Line break and indentation before the function. */
  leading: string;
  /** What follows the function: a line break when code would otherwise touch it. */
  trailing: string;
  indentation: string;
  /** Text the FIM prefix ends with; it is the first part of the function (e.g. "def parse_date(s)"). */
  signatureStart: string;
  comment: FoundComment;
  /** export/async and the indentation step the function gets, from the file and the comment. */
  style: FunctionStyle;
}

export interface PromptBudget {
  /** Characters of file text before and after the function that the model sees. */
  prefixChars: number;
  suffixChars: number;
}

export const DEFAULT_BUDGET: PromptBudget = { prefixChars: 8000, suffixChars: 2000 };

/** Decides the insertion point: the line after the comment, at the comment's indentation. */
export function planFunctionInsertion(languageId: string, text: string, comment: FoundComment): FunctionInsertion {
  const language = commandLanguage(languageId);
  if (!language) throw new Error(`Generating functions is not supported for ${languageId}`);
  const indentation = comment.indentation;
  const commentLineEnd = lineEnd(text, comment.end);

  // A blank line right after the comment (where the user usually is) is replaced; otherwise a new line opens.
  let start = commentLineEnd;
  let end = commentLineEnd;
  let leading = '\n' + indentation;
  if (commentLineEnd < text.length) {
    const nextStart = commentLineEnd + 1;
    const nextEnd = lineEnd(text, nextStart);
    if (!text.slice(nextStart, nextEnd).trim()) {
      start = nextStart;
      end = nextEnd;
      leading = indentation;
    }
  }

  const style = functionStyle(language, text, comment);
  return {
    languageId,
    language,
    start,
    end,
    leading,
    trailing: trailingAfter(text.slice(end)),
    indentation,
    signatureStart: signatureStart(language, comment, style),
    comment,
    style,
  };
}

/** A blank line between the function and the code after it, except before a closing bracket or at a blank. */
function trailingAfter(after: string): string {
  if (after === '') return '\n';
  if (/^\r?\n[ \t]*(\r?\n|$)/.test(after)) return '';
  if (/^\r?\n[ \t]*[)\]}]/.test(after)) return '';
  return '\n';
}

/**
 * The start of the function that ends the FIM prefix, so the model continues a function rather than prose; with
 * the `export`/`async` the style asks for.
 */
export function signatureStart(language: CommandLanguage, comment: FoundComment, style: FunctionStyle = PLAIN_STYLE): string {
  const plain = plainSignatureStart(language, comment);
  // A JavaScript method has no keyword to start with; an async one starts with `async `.
  if (!plain && comment.inClass && style.async && language !== 'java' && language !== 'go') return 'async ';
  // A Java method among public ones starts like them (the model writes the rest of the declaration).
  if (!plain && language === 'java' && comment.inClass && style.exported) return 'public ';
  return plain ? withStyleKeywords(language, plain, style, comment.inClass) : plain;
}

function plainSignatureStart(language: CommandLanguage, comment: FoundComment): string {
  const rules = rulesFor(language);
  const keyword = comment.inClass ? rules.methodKeyword : rules.functionKeyword;
  const sig = comment.signature;
  const isJs = language === 'javascript' || language === 'typescript' || language === 'tsx';
  if (!sig) return keyword;
  if (sig.explicit) {
    // "function add(a, b)" in a class body becomes the method "add(a, b)".
    if (isJs && comment.inClass) return sig.text.replace(/^(?:export\s+)?(?:default\s+)?(async\s+)?function\s*\*?\s*/, '$1');
    return sig.text;
  }
  // Named in prose or another language's syntax: keep the name; parameters verbatim only where untyped.
  if (language === 'python') {
    const params = comment.inClass && !/^self\b/.test(sig.params) ? ['self', sig.params].filter(Boolean).join(', ') : sig.params;
    return `def ${sig.name}(${params})`;
  }
  if (language === 'javascript') return `${keyword}${sig.name}(${sig.params})`;
  if (language === 'java') return '';
  return `${keyword}${sig.name}(`;
}

/** The model's FIM continuation joined to the seeded start, the start written once (not "def def area"). */
export function joinedFimOutput(plan: FunctionInsertion, output: string): string {
  // Without a signature start the prefix ends at the indentation: leading whitespace the model opens with is noise.
  return plan.signatureStart ? joinSeed(plan.language, plan.signatureStart, output) : output.replace(/^\s+/, '');
}

/** A generated function in the file's conventions: export/async as the style says, the file's indentation step. */
export function conformFunction(plan: FunctionInsertion, code: string): string {
  const styled = withStyleKeywords(plan.language, code, plan.style, plan.comment.inClass);
  return reindentToUnit(styled, plan.indentation, plan.style.indentUnit);
}

/** FIM prefix and suffix for an insertion, cut to the budget at line boundaries. */
export function functionFimParts(text: string, plan: FunctionInsertion, budget: PromptBudget = DEFAULT_BUDGET): { prefix: string; suffix: string } {
  const before = text.slice(0, plan.start) + plan.leading + plan.signatureStart;
  const after = plan.trailing + text.slice(plan.end);
  return { prefix: cutPrefix(before, budget.prefixChars), suffix: cutSuffix(after, budget.suffixChars) };
}

export function cutPrefix(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.length - maxChars;
  const nextLine = text.indexOf('\n', cut);
  return nextLine === -1 ? text.slice(cut) : text.slice(nextLine + 1);
}

export function cutSuffix(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const lastLine = text.lastIndexOf('\n', maxChars);
  return lastLine <= 0 ? text.slice(0, maxChars) : text.slice(0, lastLine + 1);
}

/** Stop sequences for the tighter retry: anything that starts a sibling declaration at the function's indentation. */
export function siblingStops(language: CommandLanguage, indentation: string, inClass: boolean): string[] {
  const at = (s: string) => `\n${indentation}${s}`;
  switch (language) {
    case 'python':
      return [at('def '), at('async def '), at('class '), at('@'), at('#'), at('if __name__')];
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return inClass
        ? [at('//'), at('/*'), at('static '), at('async '), at('public '), at('private ')]
        : [at('function '), at('async function '), at('export '), at('class '), at('const '), at('//'), at('/*')];
    case 'go':
      return [at('func '), at('type '), at('//'), at('var ')];
    case 'java':
      return [at('public '), at('private '), at('protected '), at('@'), at('//'), at('/*')];
    case 'rust':
      return [at('fn '), at('pub '), at('#['), at('//'), at('impl '), at('struct ')];
  }
}

/**
 * Where a streamed function visibly ends, judged by indentation (cheap enough to run on every chunk): for brace
 * languages the first line that is just the closing brace at the function's indentation; for Python the first
 * code line back at (or left of) the function's indentation after its body started. Returns the text up to that
 * end, or undefined while the function is still open.
 */
export function cutAtFunctionEnd(generated: string, language: CommandLanguage, indentation: string): string | undefined {
  const lines = generated.split('\n');
  if (language === 'python') {
    let bodySeen = false;
    let offset = lines[0].length + 1;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const indent = /^[ \t]*/.exec(line)![0];
      if (line.trim()) {
        if (indent.length > indentation.length) bodySeen = true;
        else if (bodySeen && !/^[)\]}]/.test(line.trim())) {
          // The line must be complete to be sure it is not the body continuing (it is, after a newline).
          return generated.slice(0, offset).replace(/\s+$/, '');
        }
      }
      offset += line.length + 1;
    }
    return undefined;
  }
  let offset = 0;
  let opened = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.includes('{')) opened = true;
    const isLast = i === lines.length - 1;
    if (i > 0 && opened && !isLast && new RegExp(`^${escapeRegExp(indentation)}\\}[;,]?\\s*$`).test(line)) {
      return generated.slice(0, offset + line.length).trimEnd();
    }
    offset += line.length + 1;
  }
  return undefined;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const LANGUAGE_NAMES: Record<CommandLanguage, string> = {
  python: 'Python', javascript: 'JavaScript', typescript: 'TypeScript', tsx: 'TypeScript (TSX)', go: 'Go', java: 'Java', rust: 'Rust',
};

export function languageName(language: CommandLanguage): string {
  return LANGUAGE_NAMES[language];
}

/** Fence tag for code blocks in chat prompts. */
export function fenceTag(language: CommandLanguage): string {
  return language === 'tsx' ? 'tsx' : language;
}

export const HOLE_MARKER = '<<<FUNCTION GOES HERE>>>';

/** The chat request for a model without FIM: the file with a marked hole, the description, strict output rules. */
export function functionChatMessages(
  text: string,
  plan: FunctionInsertion,
  relativePath: string,
  options: { tight?: boolean; budget?: PromptBudget } = {},
): ChatMessage[] {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const lang = languageName(plan.language);
  const before = cutPrefix(text.slice(0, plan.start) + plan.leading, budget.prefixChars);
  const after = cutSuffix(plan.trailing + text.slice(plan.end), budget.suffixChars);
  const where = plan.comment.inClass
    ? `It is a method of the class${plan.comment.className ? ` \`${plan.comment.className}\`` : ''}; write it as a method, without the class around it.`
    : 'It is a standalone function.';
  const sig = plan.comment.signature;
  const lines = [
    `Here is the ${lang} file \`${relativePath}\`; ${HOLE_MARKER} marks where a new function goes:`,
    '```' + fenceTag(plan.language),
    before + HOLE_MARKER + after,
    '```',
    `Write the function described by the comment just before the marker:`,
    plan.comment.text.split('\n').map(l => '> ' + l).join('\n'),
    where,
  ];
  if (sig) lines.push(`Its signature: \`${plan.signatureStart || sig.text}\` (name \`${sig.name}\`).`);
  lines.push(
    `Reply with exactly one fenced \`\`\`${fenceTag(plan.language)} code block holding only that one function: no imports, no other functions, no usage example, no comment repeating the description.`,
  );
  if (options.tight) lines.push('Do not write anything outside the code block. The block must contain one complete function and nothing else.');
  return [
    { role: 'system', content: `You are an expert ${lang} programmer. You answer with code only.` },
    { role: 'user', content: lines.join('\n') },
  ];
}

/**
 * The code in a chat reply: the first fenced block (also when the closing fence never came), else the whole
 * reply when there is no fence at all.
 */
export function extractCode(reply: string): string {
  const open = /```[^\n`]*\n/.exec(reply);
  if (!open) return reply.trim() ? reply.replace(/^\s*\n/, '').replace(/\s+$/, '') : '';
  const rest = reply.slice(open.index + open[0].length);
  const close = rest.search(/^[ \t]*```/m);
  return (close === -1 ? rest : rest.slice(0, close)).replace(/\s+$/, '');
}

/** Drops comment lines a chat model put before the function (the description is already in the file). */
export function dropLeadingComments(code: string, language: CommandLanguage): string {
  const lines = code.split('\n');
  let i = 0;
  const line = /^\s*(#(?!\[)|\/\/)/;
  while (i < lines.length) {
    const t = lines[i].trim();
    if (!t || (language === 'python' ? /^#/.test(t) : line.test(t))) { i++; continue; }
    if (language !== 'python' && t.startsWith('/*')) {
      while (i < lines.length && !lines[i].includes('*/')) i++;
      i++;
      continue;
    }
    break;
  }
  return lines.slice(i).join('\n');
}

/** A chat reply's code placed at the insertion's indentation (the leading indentation is in `plan.leading`). */
export function chatCodeAsInsertion(code: string, plan: FunctionInsertion): string {
  return conformFunction(plan, reindent(dedent(dropLeadingComments(code, plan.language)).replace(/^\s*\n/, ''), plan.indentation));
}
