// A Python post-processing input with the cursor in the body of `def f(xs):`, shared by the chain's tests.
export const py = (output: string, extra: { prefix?: string; suffix?: string; multiline?: boolean } = {}) => ({
  languageId: 'python',
  prefix: extra.prefix ?? 'def f(xs):\n    ',
  suffix: extra.suffix ?? '\n',
  output,
  multiline: extra.multiline,
});
