/** One problem with user input: where it is (file and key path) and what is wrong. */
export interface InputProblem {
    /** The file the value came from, if any. */
    file?: string;
    /** The key path inside that file, e.g. `mlops:workload.data.volumeGb`. */
    path: string;
    message: string;
}

/**
 * Bad input from a user: a config file, a profile or component args. Carries every problem found,
 * so a user fixes them all in one go. The CLI prints it without a stack trace and exits 2.
 */
export class InputError extends Error {
    constructor(readonly problems: readonly InputProblem[]) {
        super(problems.map(formatProblem).join("\n"));
        this.name = "InputError";
    }
}

export function formatProblem(p: InputProblem): string {
    const where = [p.file, p.path].filter((s) => s !== undefined && s !== "").join(": ");
    return where === "" ? p.message : `${where}: ${p.message}`;
}

/** Throws one InputError for all problems, if there are any. */
export function throwIfProblems(problems: readonly InputProblem[]): void {
    if (problems.length > 0) throw new InputError(problems);
}

/** Runs a check that throws InputError and returns its problems instead (none when it passes). */
export function problemsOf(check: () => unknown): InputProblem[] {
    try {
        check();
        return [];
    } catch (e) {
        if (e instanceof InputError) return [...e.problems];
        throw e;
    }
}

/** Puts a component's own key paths (`schedule`) under the workload key they come from. */
export function underWorkload(pipeline: string, problems: readonly InputProblem[]): InputProblem[] {
    return problems.map((p) =>
        p.path.startsWith("config.") ? p : { ...p, path: `config.mlops:workload.${pipeline}.${p.path}` },
    );
}
