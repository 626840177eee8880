// Per-language facts the two commands need: which tree-sitter nodes are comments, functions and class bodies,
// and how a function starts in that language. Kept as plain data so each rule is one line to review.

export type CommandLanguage = 'python' | 'javascript' | 'typescript' | 'tsx' | 'go' | 'java' | 'rust';

/** VS Code language id -> the rule set we use for it (JSX shares JavaScript's grammar). */
const LANGUAGE_BY_ID: Record<string, CommandLanguage> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  go: 'go',
  java: 'java',
  rust: 'rust',
};

export function commandLanguage(languageId: string): CommandLanguage | undefined {
  return LANGUAGE_BY_ID[languageId];
}

export function supportedCommandLanguageIds(): string[] {
  return Object.keys(LANGUAGE_BY_ID);
}

export interface LanguageRules {
  /** Node types that are comments. */
  comments: string[];
  /** Node types that are a complete function or method on their own. */
  functions: string[];
  /** Node types of a class-like body in which a new function is a method. */
  classBodies: string[];
  /** Nodes that may sit before the function as its own decoration (attributes, annotations, comments). */
  preamble: string[];
  /** What a new top-level function starts with ('' when the language has no keyword, e.g. Java). */
  functionKeyword: string;
  /** Same, inside a class body. */
  methodKeyword: string;
  /** Line comment marker, for headers we write into prompts. */
  lineComment: string;
}

const JS_FUNCTIONS = [
  'function_declaration',
  'generator_function_declaration',
  'method_definition',
];

const RULES: Record<CommandLanguage, LanguageRules> = {
  python: {
    comments: ['comment'],
    functions: ['function_definition', 'decorated_definition'],
    classBodies: ['block'], // only when the block's parent is a class_definition (see isClassBody)
    preamble: ['comment'],
    functionKeyword: 'def ',
    methodKeyword: 'def ',
    lineComment: '#',
  },
  javascript: {
    comments: ['comment'],
    functions: JS_FUNCTIONS,
    classBodies: ['class_body'],
    preamble: ['comment'],
    functionKeyword: 'function ',
    methodKeyword: '',
    lineComment: '//',
  },
  typescript: {
    comments: ['comment'],
    functions: JS_FUNCTIONS,
    classBodies: ['class_body'],
    preamble: ['comment'],
    functionKeyword: 'function ',
    methodKeyword: '',
    lineComment: '//',
  },
  tsx: {
    comments: ['comment'],
    functions: JS_FUNCTIONS,
    classBodies: ['class_body'],
    preamble: ['comment'],
    functionKeyword: 'function ',
    methodKeyword: '',
    lineComment: '//',
  },
  go: {
    comments: ['comment'],
    functions: ['function_declaration', 'method_declaration'],
    classBodies: [],
    preamble: ['comment'],
    functionKeyword: 'func ',
    methodKeyword: 'func ',
    lineComment: '//',
  },
  java: {
    comments: ['line_comment', 'block_comment'],
    functions: ['method_declaration', 'constructor_declaration'],
    classBodies: ['class_body', 'enum_body_declarations', 'interface_body', 'record_body'],
    preamble: ['line_comment', 'block_comment'],
    functionKeyword: '',
    methodKeyword: '',
    lineComment: '//',
  },
  rust: {
    comments: ['line_comment', 'block_comment'],
    functions: ['function_item'],
    classBodies: ['declaration_list'], // impl/trait bodies (and mod bodies: there a fn is still a plain function)
    preamble: ['line_comment', 'block_comment', 'attribute_item'],
    functionKeyword: 'fn ',
    methodKeyword: 'fn ',
    lineComment: '//',
  },
};

export function rulesFor(language: CommandLanguage): LanguageRules {
  return RULES[language];
}
