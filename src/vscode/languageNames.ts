// Language names for people ("TypeScript", not the id `typescript`), as VS Code shows them: the first alias of the
// language in the extensions that contribute it. Plain TypeScript (no vscode import), so the rule is unit-tested.

/** One entry of an extension's `contributes.languages`. */
export interface LanguageContribution {
  id?: unknown;
  aliases?: unknown;
}

/** id → display name, from every extension's `contributes.languages` (the first alias given for an id wins). */
export function languageNamesFrom(contributions: Iterable<LanguageContribution>): Map<string, string> {
  const names = new Map<string, string>();
  for (const { id, aliases } of contributions) {
    if (typeof id !== 'string' || names.has(id) || !Array.isArray(aliases)) continue;
    const first = aliases.find((a): a is string => typeof a === 'string' && a.trim() !== '');
    if (first) names.set(id, first.trim());
  }
  return names;
}

/** The display name of `languageId`; an id no extension names is shown capitalised ("zig" → "Zig"). */
export function languageDisplayName(languageId: string, names: ReadonlyMap<string, string>): string {
  return names.get(languageId) ?? (languageId.charAt(0).toUpperCase() + languageId.slice(1));
}
