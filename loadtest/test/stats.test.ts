import assert from "node:assert/strict";
import { cdf, countBy, percentile, sortAscending, summarize } from "../stats";

describe("percentile (nearest rank)", () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it("picks the smallest sample with at least p% at or below it", () => {
    assert.equal(percentile(oneToHundred, 50), 50);
    assert.equal(percentile(oneToHundred, 95), 95);
    assert.equal(percentile(oneToHundred, 99), 99);
    assert.equal(percentile(oneToHundred, 100), 100);
    assert.equal(percentile([10, 20, 30, 40], 50), 20);
    assert.equal(percentile([10, 20, 30, 40], 51), 30);
  });
  it("returns a real sample, never an interpolation", () => {
    assert.equal(percentile([1, 1000], 50), 1);
    assert.equal(percentile([1, 1000], 95), 1000);
  });
  it("p0 is the minimum; a single sample is every percentile", () => {
    assert.equal(percentile([3, 7, 9], 0), 3);
    assert.deepEqual(
      [0, 50, 99, 100].map((p) => percentile([42], p)),
      [42, 42, 42, 42],
    );
  });
  it("is null for no samples and refuses p outside 0..100", () => {
    assert.equal(percentile([], 50), null);
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
    assert.throws(() => percentile([1], Number.NaN), RangeError);
  });
});

describe("summarize", () => {
  it("sorts unsorted samples and reports count, min, mean, p50/p95/p99, max", () => {
    const values = [5, 1, 4, 2, 3];
    assert.deepEqual(summarize(values), { count: 5, min: 1, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
    assert.deepEqual(values, [5, 1, 4, 2, 3], "the input is left as it was");
  });
  it("on 1000 samples, p99 is the 990th value and max the 1000th", () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const s = summarize(values);
    assert.equal(s.p50, 500);
    assert.equal(s.p95, 950);
    assert.equal(s.p99, 990);
    assert.equal(s.max, 1000);
  });
  it("has nulls but a zero count when there is nothing to summarize", () => {
    assert.deepEqual(summarize([]), { count: 0, min: null, mean: null, p50: null, p95: null, p99: null, max: null });
  });
});

describe("sortAscending, cdf and countBy", () => {
  it("sorts numbers numerically, not as strings", () => {
    assert.deepEqual(sortAscending([10, 9, 100, 1]), [1, 9, 10, 100]);
  });
  it("cdf gives each sorted sample the share of samples at or below it", () => {
    assert.deepEqual(cdf([30, 10, 20, 40]), [
      { value: 10, fraction: 0.25 },
      { value: 20, fraction: 0.5 },
      { value: 30, fraction: 0.75 },
      { value: 40, fraction: 1 },
    ]);
    assert.deepEqual(cdf([]), []);
  });
  it("countBy counts each key in first-seen order", () => {
    const counts = countBy(["ROOM_FULL", "NOT_FOUND", "ROOM_FULL"]);
    assert.deepEqual(counts, { ROOM_FULL: 2, NOT_FOUND: 1 });
    assert.deepEqual(Object.keys(counts), ["ROOM_FULL", "NOT_FOUND"]);
  });
});
