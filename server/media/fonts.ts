import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const fontPackageDir = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));

/** Noto Sans SC (OFL) shipped from the npm registry, so CJK text renders as glyphs, never boxes. */
export const fonts = {
  regular: join(fontPackageDir, '400Regular', 'NotoSansSC_400Regular.ttf'),
  medium: join(fontPackageDir, '500Medium', 'NotoSansSC_500Medium.ttf'),
  bold: join(fontPackageDir, '700Bold', 'NotoSansSC_700Bold.ttf'),
  family: 'Noto Sans SC',
} as const;

let fontconfigFile: string | undefined;

/**
 * Writes a fonts.conf that adds the Noto Sans SC folder and points FONTCONFIG_FILE at it, so SVG
 * text in sharp (librsvg/pango) and Chromium find a CJK font. Call before the first SVG render.
 */
export function ensureFontconfig(): string {
  if (fontconfigFile) return fontconfigFile;
  // beside the font, in this checkout's node_modules/.cache: the file names this checkout's font folder
  const dir = join(fontPackageDir, '..', '..', '.cache', 'lianxin', 'fontconfig');
  const file = join(dir, 'fonts.conf');
  const cache = join(dir, 'cache');
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    const folders = ['400Regular', '500Medium', '700Bold'].map((f) => `  <dir>${join(fontPackageDir, f)}</dir>`).join('\n');
    // parallel test processes write this too: write a private copy and rename it into place
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(
      temp,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${folders}\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${cache}</cachedir>\n` +
        `  <alias><family>sans-serif</family><prefer><family>${fonts.family}</family></prefer></alias>\n</fontconfig>\n`,
    );
    renameSync(temp, file);
  }
  process.env.FONTCONFIG_FILE = file;
  fontconfigFile = file;
  return file;
}
