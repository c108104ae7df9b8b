import { describeLevelMatrix } from "./matrix";

describeLevelMatrix("gcp");
