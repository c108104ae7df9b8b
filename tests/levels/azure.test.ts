import { describeLevelMatrix } from "./matrix";

describeLevelMatrix("azure");
