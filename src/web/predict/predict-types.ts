/** What GET /api/contacts/{id}/prediction answers (src/server/predict/predictive-models.ts). */
export interface Prediction {
  contactId: string;
  version: number;
  trainedAt: string;
  probability: number;
  logOdds: number;
  stored: { probability: number | null; version: number | null };
  baseline: number;
  baselineLogOdds: number;
  factors: { column: string; value: string | number | null; effect: number }[];
  asOf: string;
}

export interface Measures {
  count: number;
  positives: number;
  auc: number | null;
  logLoss: number | null;
  calibration: { from: number; to: number; count: number; meanPredicted: number; observedRate: number }[];
  lift: { decile: number; count: number; positives: number; rate: number; lift: number; cumulativeCapture: number }[];
}

/** The stored report of a trained run (core/predict/evaluate-training.ts, less the model). */
export interface ModelReport {
  rows: number;
  positives: number;
  baseRate: number;
  l2: number;
  columns: { name: string; kind: string }[];
  skipped: { name: string; reason: string; message: string }[];
  leaks: { column: string; reason: string; message: string; forced: boolean }[];
  crossValidation: { folds: number; auc: number | null; logLoss: number | null };
  holdout: Measures;
  outOfTime: (Measures & { trainedThrough: number; testedFrom: number }) | null;
  factors: { column: string; spread: number; strongest: { label: string; coefficient: number }[] }[];
}

/** What GET /api/predictive/model answers. */
export interface ModelRun {
  version: number;
  status: 'trained' | 'refused';
  trainedAt: string;
  outcomes: number;
  positives: number;
  message: string | null;
  predicted: number;
  report: ModelReport | null;
}
