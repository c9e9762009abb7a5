/**
 * Greyscale pixel operations for the decoder: conversion to RGBA for the engines, adaptive
 * thresholding, cropping and tiling. Plain loops over Uint8Arrays, no allocation beyond the result.
 */
import type { Rgba } from './engines.ts';

/** One byte a pixel. */
export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Expands greyscale to RGBA (what both engines take). */
export function toRgba(g: Grey): Rgba {
  const out = new Uint8Array(g.width * g.height * 4);
  for (let i = 0, j = 0; i < g.data.length; i++, j += 4) {
    const v = g.data[i]!;
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = 255;
  }
  return { data: out, width: g.width, height: g.height };
}

/**
 * Adaptive (local mean) threshold: a pixel is black when darker than the mean of its
 * `window`×`window` neighbourhood minus `bias`. Evens out shadows and uneven light.
 */
export function adaptiveThreshold(g: Grey, window: number, bias = 7): Grey {
  const { width: w, height: h, data } = g;
  const n = (w + 1) * (h + 1);
  const integral = 255 * w * h < 2 ** 31 ? new Int32Array(n) : new Float64Array(n); // Int32 is faster
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x]!;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1]! + row;
    }
  }
  const r = Math.max(1, Math.floor(window / 2));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const sum =
        integral[y1 * (w + 1) + x1]! -
        integral[y0 * (w + 1) + x1]! -
        integral[y1 * (w + 1) + x0]! +
        integral[y0 * (w + 1) + x0]!;
      const mean = sum / ((x1 - x0) * (y1 - y0));
      out[y * w + x] = data[y * w + x]! < mean - bias ? 0 : 255;
    }
  }
  return { data: out, width: w, height: h };
}

/** The rectangle (left, top, width, height) of `g`, copied. */
export function crop(g: Grey, left: number, top: number, width: number, height: number): Grey {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (top + y) * g.width + left;
    out.set(g.data.subarray(from, from + width), y * width);
  }
  return { data: out, width, height };
}

/** Overlapping tiles covering `g`: an n×n grid whose tiles are `1.5/n` of each side. */
export function tiles(width: number, height: number, n: number) {
  const tw = Math.min(width, Math.ceil((1.5 * width) / n));
  const th = Math.min(height, Math.ceil((1.5 * height) / n));
  const out: { left: number; top: number; width: number; height: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const left = n === 1 ? 0 : Math.round(((width - tw) * j) / (n - 1));
      const top = n === 1 ? 0 : Math.round(((height - th) * i) / (n - 1));
      out.push({ left, top, width: tw, height: th });
    }
  }
  return out;
}
