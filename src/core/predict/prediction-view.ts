import type { TrainingReport } from './evaluate-training.ts';

/**
 * The predictive model as the API shows it, shared by the server and the web app. Measures
 * that cannot be computed (an AUC without both outcomes) are NaN here and `null` in JSON.
 */
export type ModelReportView = Omit<TrainingReport, 'model' | 'outOfFold'>;

/** One training run: GET /api/predictive/model. */
export interface ModelRunView {
  version: number;
  status: 'trained' | 'refused';
  trainedAt: string;
  outcomes: number;
  positives: number;
  /** Why a run refused; null for a trained model. */
  message: string | null;
  /** Contacts the version wrote a probability to. */
  predicted: number;
  report: ModelReportView | null;
}

/** A contact's probability and its factors: GET /api/contacts/{id}/prediction. */
export interface PredictionView {
  contactId: string;
  version: number;
  trainedAt: string;
  /** The probability now, from the contact's data at its moment (its first hand-off, or now). */
  probability: number;
  /** log(p / (1 − p)) of `probability`: exactly `baselineLogOdds` plus every factor's effect. */
  logOdds: number;
  /** The probability stored on the contact (what lists and criteria use), and the version that wrote it. */
  stored: { probability: number | null; version: number | null };
  /** The probability of a lead at the training average; each factor moves the log-odds from it. */
  baseline: number;
  baselineLogOdds: number;
  /** Effects in log-odds, strongest first. */
  factors: { column: string; value: string | number | null; effect: number }[];
  asOf: string;
}
