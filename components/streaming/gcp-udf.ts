import { type GaussianNbExport, modelVersion, scorerDeclarations } from "./gaussian-nb-udf";

// The reference model as a JavaScript UDF for Google's Pub/Sub to BigQuery Dataflow template: the
// shared GaussianNB declarations (gaussian-nb-udf.ts) under the entry point the template calls. The
// template runs UDFs in Nashorn (`--language=es6`), which the shared code's ES5 satisfies.

/** Name of the UDF's function (the template's `javascriptTextTransformFunctionName`). */
export const UDF_FUNCTION = "score";

/**
 * The UDF's source: `score(message)` parses one event (a JSON row), scores it and returns the
 * score row as JSON. A malformed event throws, which sends it to the template's dead-letter table.
 * Pure.
 */
export function scoringUdf(m: GaussianNbExport, threshold = 0.5): string {
    return `// mlops-levels reference model (GaussianNB ${modelVersion(m)}) as a Dataflow template UDF. Generated; do not edit.
${scorerDeclarations(m, threshold)}
function ${UDF_FUNCTION}(message) {
  return JSON.stringify(scoreEvent(JSON.parse(message)));
}
`;
}
