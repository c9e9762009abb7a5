/**
 * The two QR engines on raw RGBA pixels: jsQR (pure JS) and zxing-cpp (WebAssembly, loaded from
 * node_modules, never from a CDN). Both return corners in the pixels they were given.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsQRModule from 'jsqr';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

// jsqr ships a UMD bundle whose types describe an ES default export.
const jsQR = jsQRModule.default ?? (jsQRModule as unknown as typeof jsQRModule.default);

/** A point in pixels. */
export interface Point {
  x: number;
  y: number;
}

/** A code read by an engine: its text and corners (top-left, top-right, bottom-right, bottom-left). */
export interface EngineCode {
  text: string;
  corners: Point[];
}

/** RGBA pixels, 4 bytes a pixel. */
export interface Rgba {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Reads at most one code with jsQR; `invert` also tries light-on-dark. */
export function readJsqr(img: Rgba, invert = true): EngineCode[] {
  const data = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length);
  const r = jsQR(data, img.width, img.height, { inversionAttempts: invert ? 'attemptBoth' : 'dontInvert' });
  if (!r?.data) return [];
  const l = r.location;
  return [
    { text: r.data, corners: [l.topLeftCorner, l.topRightCorner, l.bottomRightCorner, l.bottomLeftCorner] },
  ];
}

let zxingReady: Promise<unknown> | undefined;

/** Instantiates zxing-wasm once, from the .wasm file in node_modules. */
function loadZxing(): Promise<unknown> {
  if (!zxingReady) {
    const path = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bytes = readFileSync(path);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    zxingReady = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return zxingReady;
}

/** Reads every QR code zxing-cpp finds (it tries rotations, inversion and downscaling itself). */
export async function readZxing(img: Rgba, opts: { tryHarder?: boolean } = {}): Promise<EngineCode[]> {
  await loadZxing();
  const results = await readBarcodes(
    { data: img.data, width: img.width, height: img.height } as unknown as ImageData,
    { formats: ['QRCode'], textMode: 'Plain', tryHarder: opts.tryHarder ?? true, maxNumberOfSymbols: 16 },
  );
  return results
    .filter((r) => r.isValid && r.text)
    .map((r) => {
      const p = r.position;
      return { text: r.text, corners: [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft] };
    });
}
