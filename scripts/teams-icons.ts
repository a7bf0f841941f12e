/**
 * `npx tsx scripts/teams-icons.ts`: draws the two icons of the Teams app into manifests/teams/.
 *
 * - color.png, 192×192: SPOC's colour (#1f4e79, the Slack app's background colour) with the mark
 *   in white inside the middle 120×120, the area Teams keeps clear of its own cropping.
 * - outline.png, 32×32: the same mark in white on a transparent background, as Teams requires.
 *
 * The mark is a point in a ring: the single point of contact. Edges are anti-aliased by sampling
 * each pixel 4×4 times, so the pictures are the same on every run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';

export const SPOC_BLUE = { r: 0x1f, g: 0x4e, b: 0x79 } as const;

const RING_OUTER = 1;
const RING_INNER = 0.72;
const DOT = 0.36;
const SAMPLES = 4;

/** Whether a point of the mark's own square (-1…1 on both axes) is white. */
function inMark(x: number, y: number): boolean {
  const r = Math.hypot(x, y);
  return r <= DOT || (r >= RING_INNER && r <= RING_OUTER);
}

/** How much of pixel (px, py) the mark covers, 0…1, for a mark `markSize` pixels across. */
function coverage(px: number, py: number, size: number, markSize: number): number {
  let hits = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = px + (sx + 0.5) / SAMPLES - size / 2;
      const y = py + (sy + 0.5) / SAMPLES - size / 2;
      if (inMark((2 * x) / markSize, (2 * y) / markSize)) hits++;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

/** color.png: opaque, the white mark blended over SPOC's blue. */
export function drawColorIcon(): Buffer {
  const size = 192;
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const c = coverage(px, py, size, 120);
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(SPOC_BLUE.r + (255 - SPOC_BLUE.r) * c);
      png.data[i + 1] = Math.round(SPOC_BLUE.g + (255 - SPOC_BLUE.g) * c);
      png.data[i + 2] = Math.round(SPOC_BLUE.b + (255 - SPOC_BLUE.b) * c);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/** outline.png: white only, the mark's coverage as its alpha, transparent elsewhere. */
export function drawOutlineIcon(): Buffer {
  const size = 32;
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const i = (py * size + px) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(255 * coverage(px, py, size, 30));
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

export const TEAMS_MANIFEST_DIR = join(import.meta.dirname, '..', 'manifests', 'teams');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(join(TEAMS_MANIFEST_DIR, 'color.png'), drawColorIcon());
  writeFileSync(join(TEAMS_MANIFEST_DIR, 'outline.png'), drawOutlineIcon());
  process.stdout.write('Wrote manifests/teams/color.png (192×192) and outline.png (32×32).\n');
}
