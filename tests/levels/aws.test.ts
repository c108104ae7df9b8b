import { describeLevelMatrix } from "./matrix";

describeLevelMatrix("aws");
