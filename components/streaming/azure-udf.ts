import { type GaussianNbExport, modelVersion, scorerDeclarations } from "./gaussian-nb-udf";

// The reference model as an Azure Stream Analytics JavaScript UDF: the shared GaussianNB
// declarations (gaussian-nb-udf.ts) inside one function, `main`. The job's function definition
// takes the script as "a single function definition", so the model, log1p and the helpers are
// declared inside `main`, not beside it; Microsoft documents no JavaScript version, so the shared
// ES5 with its own log1p is what it runs.
//
// Stream Analytics hands the function the whole event as a record, which JavaScript sees as an
// object (bigint and float both become Number, nvarchar(max) String, NULL null), and turns the
// returned object back into a record the query reads with dot notation. Its documentation calls any
// runtime error in a UDF fatal: the job goes to the Failed state, and a restart that resumes where
// the output stopped would read the same event and fail again. So a malformed event does not throw:
// it gets a row with no probability and the reason in `error`, and the job goes on (GCP sends such
// events to its dead-letter table instead).

/** The function's name in the job: the query calls `udf.score(...)`. */
export const AZURE_UDF_ALIAS = "score";
/** The JavaScript function the script defines. */
export const AZURE_UDF_FUNCTION = "main";

/**
 * The UDF's source: `main(event)` scores one event record and returns the score row
 * `{customer_id, churn_probability, churn_predicted, model_version, error}`; `error` is null for a
 * scored event, and for a malformed one says why (its probability and 0/1 are null). Pure.
 */
export function azureScoringUdf(m: GaussianNbExport, threshold = 0.5): string {
    const declarations = scorerDeclarations(m, threshold)
        .trimEnd()
        .split("\n")
        .map((l) => (l === "" ? l : `  ${l}`))
        .join("\n");
    return `function ${AZURE_UDF_FUNCTION}(event) {
  // mlops-levels reference model (GaussianNB ${modelVersion(m)}) as a Stream Analytics UDF. Generated; do not edit.
${declarations}

  // A throw would fail the job: a malformed event gets its reason instead of a probability.
  try {
    var row = scoreEvent(event);
    row.error = null;
    return row;
  } catch (e) {
    return {
      customer_id: event === null || event === undefined ? null : event.customer_id,
      churn_probability: null,
      churn_predicted: null,
      model_version: VERSION,
      error: e && e.message ? String(e.message) : String(e)
    };
  }
}
`;
}
