import { XMLValidator } from 'fast-xml-parser';

/** Characters outside XML 1.0's Char production (fast-xml-parser's validator does not check them). */
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Why `xml` is not a well-formed XML 1.0 document, or undefined: structure and every character checked. */
export function xmlProblem(xml: string): string | undefined {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) return `character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${bad.index}`;
  const valid = XMLValidator.validate(xml);
  return valid === true ? undefined : JSON.stringify(valid.err);
}
