import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { printTable } from './_format.ts';
import { runFfmpeg } from '../../server/video/ffmpeg.ts';
import { VIDEO_OUTPUT_OPTIONS, X264_PARAMS, X264_PRESET } from '../../server/video/graph.ts';
import { renderVideo } from '../../server/video/render.ts';
import { parseStoryboard } from '../../server/video/validate.ts';

const CAPTIONS = [
  '校车每天早上七点从学校出发，请家长提前十分钟到站。',
  '下午放学时间调整为四点半，低年级学生先上车。',
  '每辆校车配有随车照管员，全程记录上下车人数。',
  '如遇暴雨、冰雹等恶劣天气，以学校短信通知为准。',
  '发现超载、超速等问题，请拨打 12345 热线反映。',
  '安全无小事，家校携手守护孩子们的每一天！',
];

/** Six synthetic 1600×2400 photos-like stills (gradients and discs), made with sharp: no downloads. */
async function makeStills(dir: string): Promise<string[]> {
  return Promise.all(
    CAPTIONS.map(async (_, i) => {
      const w = 1600;
      const h = 2400;
      const discs = Array.from({ length: 40 }, (_, k) => `<circle cx="${(k * 337 + i * 91) % w}" cy="${(k * 211 + i * 53) % h}" r="${40 + ((k * 13) % 120)}" fill="hsl(${k * 30},80%,70%)" fill-opacity="0.5"/>`).join('');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${i * 60},70%,55%)"/><stop offset="1" stop-color="hsl(${i * 60 + 90},60%,25%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${discs}</svg>`;
      const file = join(dir, 'media', `still-${i}.jpg`);
      await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toFile(file);
      return file;
    }),
  );
}

/** Samples the child's peak resident memory (VmHWM) and CPU time (utime+stime, 100 Hz ticks) until it exits. */
function watchPeak(): { onSpawn: (pid: number) => void; peakMiB: () => number; cpuSeconds: () => number } {
  let peak = 0;
  let cpu = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    onSpawn(pid) {
      timer = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m) peak = Math.max(peak, Number(m[1]) / 1024);
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          cpu = (Number(fields[11]) + Number(fields[12])) / 100;
        } catch {
          clearInterval(timer);
        }
      }, 50);
    },
    peakMiB: () => {
      clearInterval(timer);
      return peak;
    },
    cpuSeconds: () => cpu,
  };
}

const formatLoad = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** Renders the 30 s storyboard and the plain floor command on the same stills, same x264 settings. */
export async function run(): Promise<void> {
  const loadBefore = formatLoad();
  const dir = await mkdtemp(join(tmpdir(), 'lianxin-bench-video-'));
  try {
    await mkdir(join(dir, 'media'), { recursive: true });
    const stills = await makeStills(dir);
    const board = parseStoryboard({
      format: '9:16',
      transition: 'fade',
      titleCard: { title: '校车安全，我们这样做', subtitle: '回应家长关心的接送问题', seconds: 3 },
      endCard: { orgName: '盐城市亭湖区团委', date: '2025年6月', qrText: '扫码关注「连心」', seconds: 3 },
      scenes: CAPTIONS.map((text, i) => ({ text, image: `media/still-${i}.jpg`, seconds: 4 })),
    });

    // The floor: what anyone would type — six looped stills, scaled, concatenated, no effects.
    const floorWatch = watchPeak();
    const floorStart = performance.now();
    await runFfmpeg({
      inputs: stills.map((file) => ({ file, options: ['-loop', '1', '-framerate', '30', '-t', '5'] })),
      filter: stills.map((_, i) => `[${i}:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1[v${i}]`).join(';') + ';' + stills.map((_, i) => `[v${i}]`).join('') + 'concat=n=6:v=1:a=0[v]',
      outputOptions: ['-map', '[v]', ...VIDEO_OUTPUT_OPTIONS],
      output: join(dir, 'floor.mp4'),
      duration: 30,
      onSpawn: floorWatch.onSpawn,
    });
    const floorSeconds = (performance.now() - floorStart) / 1000;

    const renderWatch = watchPeak();
    const renderStart = performance.now();
    const result = await renderVideo({ storyboard: board, dataDir: dir, onSpawn: renderWatch.onSpawn });
    const renderSeconds = (performance.now() - renderStart) / 1000;

    const rows = [
      { run: 'storyboard render (zoom, captions, fades, cards, AAC)', video_s: result.duration, wall_s: renderSeconds, peak: renderWatch.peakMiB(), cpu: renderWatch.cpuSeconds() },
      { run: 'floor: plain ffmpeg, 6 looped stills, no effects', video_s: 30, wall_s: floorSeconds, peak: floorWatch.peakMiB(), cpu: floorWatch.cpuSeconds() },
    ];
    const cores = availableParallelism();
    console.log(`x264 preset ${X264_PRESET}, ${X264_PARAMS} (crf 23, High, yuv420p, 1080×1920, 30 fps) for both runs`);
    console.log(`load average before ${loadBefore}, after ${formatLoad()} on ${cores} cores: other work on the machine skews wall times; ffmpeg CPU seconds (user+sys of the ffmpeg child, sampled every 50 ms) are the steadier figure`);
    printTable(
      rows.map((r) => ({
        run: r.run,
        'video s': r.video_s.toFixed(1),
        'wall s': r.wall_s.toFixed(2),
        'measured video s / wall s': `${(r.video_s / r.wall_s).toFixed(2)}×`,
        'ffmpeg CPU s': r.cpu.toFixed(1),
        'CPU s / video s': (r.cpu / r.video_s).toFixed(2),
        [`projection, idle ${cores} cores`]: `${(r.video_s / (r.cpu / cores)).toFixed(1)}×`,
        'ffmpeg peak RSS': `${r.peak.toFixed(0)} MiB`,
      })),
    );
    console.log(`projection = video s / (ffmpeg CPU s / ${cores}): the speed if ffmpeg had every core to itself and kept them busy (an upper bound, not a measurement)`);
    console.log(`render / floor: wall ${(renderSeconds / floorSeconds).toFixed(2)}×, ffmpeg CPU ${(rows[0]!.cpu / rows[1]!.cpu).toFixed(2)}× (target ≤ 1.3×); render speed target ≥ 3× real time; peak memory target < 1024 MiB (render wall time includes sharp preparation)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
