// The offline engine lives below the CLI (offline/engine.ts) so the policy pack and the cost model can
// use it; these names stay here for code that imported them from the plan command.
export { type OfflineOptions, type OfflineRun, type PlannedResource, runOffline } from "../../offline/engine";
