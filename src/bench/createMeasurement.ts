/**
 * Builds `Measurement` objects with a stable name, from a count or from timing samples, so
 * that every suite names and summarises its numbers the same way.
 */
import type { Measurement, MeasurementKind } from './types.ts';

/** `metric{key=value,…}` with the labels sorted by key: the identity used by baselines and merges. */
export function measurementName(metric: string, labels: Record<string, string | number>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  return `${metric}{${keys.map((key) => `${key}=${labels[key]}`).join(',')}}`;
}

export interface CreateMeasurementParameters {
  metric: string;
  labels?: Record<string, string | number>;
  unit: string;
  kind: MeasurementKind;
  /** Defaults to true (time, gas, constraints, bytes are all worse when higher). */
  higherIsWorse?: boolean;
  /** One value (a count) or the samples of a timing, in `unit`. */
  value?: number;
  samples?: number[];
  standardError?: number;
  derived?: boolean;
  note?: string;
}

export type CreateMeasurementResult = Measurement;

/** A measurement from a single value or from samples (mean, sample stddev, min, max, standard error). */
export function createMeasurement(parameters: CreateMeasurementParameters): CreateMeasurementResult {
  const labels = parameters.labels ?? {};
  const base = {
    name: measurementName(parameters.metric, labels),
    metric: parameters.metric,
    labels,
    unit: parameters.unit,
    kind: parameters.kind,
    higherIsWorse: parameters.higherIsWorse ?? true,
    ...(parameters.derived ? { derived: true } : {}),
    ...(parameters.note ? { note: parameters.note } : {}),
  };
  const samples = parameters.samples;
  if (samples && samples.length > 0) {
    const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
    const variance =
      samples.length > 1 ? samples.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (samples.length - 1) : 0;
    const stddev = Math.sqrt(variance);
    return {
      ...base,
      value: mean,
      samples: samples.length,
      stddev,
      min: Math.min(...samples),
      max: Math.max(...samples),
      standardError: parameters.standardError ?? stddev / Math.sqrt(samples.length),
    };
  }
  if (parameters.value === undefined) throw new TypeError(`createMeasurement(${base.name}): give value or samples`);
  return {
    ...base,
    value: parameters.value,
    samples: 1,
    ...(parameters.standardError !== undefined ? { standardError: parameters.standardError } : {}),
  };
}
