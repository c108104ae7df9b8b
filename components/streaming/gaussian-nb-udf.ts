import { readFileSync } from "node:fs";
import * as path from "node:path";
import { sampleArtifact } from "../shared/artifacts";

// The reference model as JavaScript, for the streaming engines that run JavaScript UDFs and no
// Python (Google's Pub/Sub to BigQuery Dataflow template, Azure Stream Analytics). One event in, one
// score row out, computed exactly as scikit-learn's GaussianNB `predict_proba` computes it (per-class
// log prior plus Gaussian log likelihood, then log-sum-exp), from the fitted parameters exported to
// gaussian-nb-model.json. Each cloud wraps the same declarations in the entry point its engine calls
// (gcp-udf.ts, azure-udf.ts). Neither engine documents a JavaScript newer than ES5 (Dataflow runs
// Nashorn), so the code sticks to ES5 and brings its own log1p.

/** The exported reference model: GaussianNB's fitted arrays and sample rows with their batch scores. */
export interface GaussianNbExport {
    readonly modelSha256: string;
    readonly model: {
        readonly classes: readonly number[];
        readonly classPrior: readonly number[];
        readonly theta: readonly (readonly number[])[];
        readonly var: readonly (readonly number[])[];
    };
    /** Feature order (jobs/schema.py FEATURE_COLUMNS). */
    readonly features: readonly string[];
    readonly reference: readonly {
        readonly event: Record<string, unknown>;
        readonly churn_probability: number;
        readonly churn_predicted: number;
        readonly model_version: string;
    }[];
}

/** The feature order the UDF computes; the export must list the same (the model was fitted on it). */
export const UDF_FEATURES = [
    "tenure_months",
    "monthly_charges",
    "log_total_charges",
    "support_calls",
    "is_month_to_month",
    "is_two_year",
    "is_paperless",
] as const;

/** The exported model beside this file. */
export const REFERENCE_MODEL_FILE = path.join(__dirname, "gaussian-nb-model.json");
/** The script that writes REFERENCE_MODEL_FILE from the sample model (run from the repository root). */
export const EXPORT_SCRIPT = "tests/streaming/export_gaussian_nb.py";

/** The exported model, checked against the sample model the stack uploads. */
export function referenceModel(file = REFERENCE_MODEL_FILE): GaussianNbExport {
    const doc = JSON.parse(readFileSync(file, "utf8")) as GaussianNbExport;
    const uploaded = sampleArtifact("model").sha256;
    if (doc.modelSha256 !== uploaded)
        throw new Error(
            `${file} was exported from another model (${doc.modelSha256.slice(0, 12)}, the sample model is ${uploaded.slice(0, 12)}): re-run ${EXPORT_SCRIPT}`,
        );
    if (doc.features.join() !== UDF_FEATURES.join()) throw new Error(`${file}: features ${doc.features.join()}`);
    return doc;
}

/** The model version a score row carries: the first 12 hex digits of the model file's sha256. */
export const modelVersion = (m: GaussianNbExport): string => m.modelSha256.slice(0, 12);

/**
 * ES5 declarations, no entry point: `scoreEvent(event)` takes one parsed event (an object with the
 * raw columns), builds the features as jobs/features.py does (an absent, null or empty total is
 * tenure x monthly; log1p of the total; the 0/1 flags), and returns the score row
 * `{customer_id, churn_probability, churn_predicted, model_version}`. A malformed event throws an
 * Error that names the field; the wrapper decides what the engine does with it. `VERSION` is the
 * model version. Pure.
 */
export function scorerDeclarations(m: GaussianNbExport, threshold = 0.5): string {
    const positive = m.model.classes.indexOf(1);
    if (positive < 0) throw new Error("the model has no class 1 (churned)");
    return `var MODEL = ${JSON.stringify(m.model)};
var POSITIVE = ${positive};
var THRESHOLD = ${threshold};
var VERSION = ${JSON.stringify(modelVersion(m))};
var CONTRACTS = ["month-to-month", "one-year", "two-year"];

var log1p = Math.log1p || function (v) {
  var u = 1 + v;
  return u === 1 ? v : Math.log(u) * v / (u - 1);
};

function number(event, name) {
  var v = event[name];
  var n = typeof v === "number" ? v : (typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
  if (!(n >= 0) || n === Infinity) throw new Error(name + " must be a finite number >= 0");
  return n;
}

function features(event) {
  if (CONTRACTS.indexOf(event.contract) < 0) throw new Error("contract must be one of " + CONTRACTS.join(", "));
  if (event.paperless_billing !== "yes" && event.paperless_billing !== "no") throw new Error("paperless_billing must be yes or no");
  var tenure = number(event, "tenure_months");
  var monthly = number(event, "monthly_charges");
  var noTotal = event.total_charges === undefined || event.total_charges === null || event.total_charges === "";
  var total = noTotal ? tenure * monthly : number(event, "total_charges");
  return [
    tenure,
    monthly,
    log1p(total),
    number(event, "support_calls"),
    event.contract === "month-to-month" ? 1 : 0,
    event.contract === "two-year" ? 1 : 0,
    event.paperless_billing === "yes" ? 1 : 0
  ];
}

function probability(x) {
  var jll = [];
  for (var c = 0; c < MODEL.classes.length; c++) {
    var theta = MODEL.theta[c], variance = MODEL["var"][c];
    var logNorm = 0, distance = 0, j;
    for (j = 0; j < x.length; j++) logNorm += Math.log(2 * Math.PI * variance[j]);
    for (j = 0; j < x.length; j++) {
      var d = x[j] - theta[j];
      distance += (d * d) / variance[j];
    }
    var n = -0.5 * logNorm;
    n -= 0.5 * distance;
    jll.push(Math.log(MODEL.classPrior[c]) + n);
  }
  var top = Math.max.apply(null, jll);
  var sum = 0;
  for (var k = 0; k < jll.length; k++) sum += Math.exp(jll[k] - top);
  return Math.exp(jll[POSITIVE] - (Math.log(sum) + top));
}

function scoreEvent(event) {
  var p = probability(features(event));
  // Features far outside the sample's range (a total that overflows) give no probability at all.
  if (!(p >= 0 && p <= 1)) throw new Error("the event's values are out of the model's range");
  return {
    customer_id: event.customer_id,
    churn_probability: p,
    churn_predicted: p >= THRESHOLD ? 1 : 0,
    model_version: VERSION
  };
}
`;
}
