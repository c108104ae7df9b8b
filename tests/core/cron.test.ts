import fc from "fast-check";
import { onCalendarOrThrow, parseCron, toAwsCron, toSystemdOnCalendar } from "../../components/shared/cron";
import { InputError } from "../../components/shared/errors";

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
    if (!r.ok) throw new Error(r.message);
    return r.value;
};
const failure = (r: { ok: true } | { ok: false; message: string }) => (r.ok ? undefined : r.message);

describe("the five-field cron, as EventBridge cron(...) and as systemd OnCalendar", () => {
    // cron, toAwsCron, toSystemdOnCalendar (the vm runner of every cloud)
    it.each([
        ["0 2 * * *", "cron(0 2 * * ? *)", "*-*-* 02:00:00 UTC"],
        ["*/15 * * * *", "cron(0/15 * * * ? *)", "*-*-* *:00,15,30,45:00 UTC"],
        ["30 6 1 * *", "cron(30 6 1 * ? *)", "*-*-01 06:30:00 UTC"],
        ["0 0 1 * *", "cron(0 0 1 * ? *)", "*-*-01 00:00:00 UTC"],
        ["0 0 1,15 * *", "cron(0 0 1,15 * ? *)", "*-*-01,15 00:00:00 UTC"],
        ["30 4 1,15 * *", "cron(30 4 1,15 * ? *)", "*-*-01,15 04:30:00 UTC"],
        ["0 12 */2 * *", "cron(0 12 1/2 * ? *)", "*-*-01,03,05,07,09,11,13,15,17,19,21,23,25,27,29,31 12:00:00 UTC"],
        ["0 3 * JAN,jul *", "cron(0 3 * 1,7 ? *)", "*-01,07-* 03:00:00 UTC"],
        ["0 3 * JAN,jul sun", "cron(0 3 ? 1,7 1 *)", "Sun *-01,07-* 03:00:00 UTC"],
        ["0 0 * jan,jul sun", "cron(0 0 ? 1,7 1 *)", "Sun *-01,07-* 00:00:00 UTC"],
        ["5 4 * * 0", "cron(5 4 ? * 1 *)", "Sun *-*-* 04:05:00 UTC"],
        ["5 4 * * 7", "cron(5 4 ? * 1 *)", "Sun *-*-* 04:05:00 UTC"],
        ["5 4 * * SUN", "cron(5 4 ? * 1 *)", "Sun *-*-* 04:05:00 UTC"],
        ["0 0 * * 7", "cron(0 0 ? * 1 *)", "Sun *-*-* 00:00:00 UTC"],
        ["0 0 * * 0,7", "cron(0 0 ? * 1 *)", "Sun *-*-* 00:00:00 UTC"],
        ["0 0 * * 0-6", "cron(0 0 * * ? *)", "*-*-* 00:00:00 UTC"],
        ["15 3 * * 1-5", "cron(15 3 ? * 2-6 *)", "Mon..Fri *-*-* 03:15:00 UTC"],
        ["15 3 * * MON-FRI", "cron(15 3 ? * 2-6 *)", "Mon..Fri *-*-* 03:15:00 UTC"],
        ["30 6 * * 1-5", "cron(30 6 ? * 2-6 *)", "Mon..Fri *-*-* 06:30:00 UTC"],
        ["0 6 * * 1-5", "cron(0 6 ? * 2-6 *)", "Mon..Fri *-*-* 06:00:00 UTC"],
        ["0 8 * * 6", "cron(0 8 ? * 7 *)", "Sat *-*-* 08:00:00 UTC"],
        ["0 8 * * 5-7", "cron(0 8 ? * 1,6,7 *)", "Sun,Fri,Sat *-*-* 08:00:00 UTC"],
        ["0 8 * * 0,6", "cron(0 8 ? * 1,7 *)", "Sun,Sat *-*-* 08:00:00 UTC"],
        ["0 8 * * */2", "cron(0 8 ? * 1,3,5,7 *)", "Sun,Tue,Thu,Sat *-*-* 08:00:00 UTC"],
        ["0 9-17 * * *", "cron(0 9-17 * * ? *)", "*-*-* 09,10,11,12,13,14,15,16,17:00:00 UTC"],
        ["0 0,12 * * *", "cron(0 0,12 * * ? *)", "*-*-* 00,12:00:00 UTC"],
        ["10-20/5 * * * *", "cron(10,15,20 * * * ? *)", "*-*-* *:10,15,20:00 UTC"],
        ["5 1-23/6 * * *", "cron(5 1,7,13,19 * * ? *)", "*-*-* 01,07,13,19:05:00 UTC"],
        ["*/30 */6 1 * *", "cron(0/30 0/6 1 * ? *)", "*-*-01 00,06,12,18:00,30:00 UTC"],
    ])("%s → %s, %s", (cron, aws, calendar) => {
        expect(value(toAwsCron(cron))).toBe(aws);
        expect(value(toSystemdOnCalendar(cron))).toBe(calendar);
        expect(onCalendarOrThrow(cron, "schedule")).toBe(calendar);
    });

    it("maps every standard weekday to AWS's 1-7 = SUN-SAT", () => {
        const names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
        for (let d = 0; d <= 6; d++) {
            expect(value(toAwsCron(`0 0 * * ${d}`))).toBe(`cron(0 0 ? * ${d + 1} *)`);
            expect(value(toAwsCron(`0 0 * * ${names[d]}`))).toBe(`cron(0 0 ? * ${d + 1} *)`);
        }
    });

    // Every case is refused by both translations, with the same message.
    it.each([
        ["0 2 * *", /five fields/],
        ["0 2 * * * *", /five fields/],
        ["60 2 * * *", /minute '60'.*0-59/],
        ["61 * * * *", /minute '61'.*0-59/],
        ["0 24 * * *", /hour '24'/],
        ["0 25 * * *", /hour '25'.*within 0-23/],
        ["0 0 0 * *", /day-of-month '0'/],
        ["0 0 * 13 *", /month '13'/],
        ["0 0 * * 8", /day-of-week '8'/],
        ["0 0 L * *", /day-of-month 'L'.*not supported/],
        ["0 0 ? * 1", /not supported/],
        ["0 0 * * 1#2", /not supported/],
        ["0 0 * * FOO", /day-of-week 'FOO'/],
        ["0 5-1 * * *", /low to high/],
        ["0 5-2 * * *", /low to high/],
        ["*/0 * * * *", /step must be 1 or more/],
        ["0 2 * * 1/0", /step must be 1 or more/],
        ["@daily x y z w", /minute '@daily'/],
        ["0 0 1 * 1", /both day-of-month and day-of-week.*EITHER.*Set one of them to \*/],
        ["0 2 1 * MON", /both day-of-month and day-of-week/],
    ])("rejects %s", (cron, message) => {
        const aws = failure(toAwsCron(cron));
        expect(aws).toMatch(message);
        expect(failure(toSystemdOnCalendar(cron))).toBe(aws);
    });

    it("onCalendarOrThrow throws an InputError at the given key path", () => {
        const path = "config.mlops:workload.data.schedule";
        expect(() => onCalendarOrThrow("0 0 1 * 1", path)).toThrow(InputError);
        try {
            onCalendarOrThrow("0 25 * * *", path);
        } catch (e) {
            expect((e as InputError).problems).toEqual([{ path, message: expect.stringMatching(/hour '25'/) }]);
        }
        expect.assertions(2);
    });
});

describe("parseCron", () => {
    it("folds Sunday 7 into 0 and expands steps", () => {
        const p = value(parseCron("*/20 0 * * 5-7"));
        expect(p.sets[0]).toEqual([0, 20, 40]);
        expect(p.sets[4]).toEqual([0, 5, 6]);
        expect(p.full).toEqual([false, false, true, true, false]);
    });
});

describe("properties of valid crons", () => {
    // [min, max] of each field; day-of-week comes back as 0-6 (7 is folded into Sunday 0).
    const RANGES = [
        [0, 59],
        [0, 23],
        [1, 31],
        [1, 12],
        [0, 7],
    ] as const;
    const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /** One list item of a field, built from values inside the field's range. */
    const item = (min: number, max: number, names?: readonly string[]) => {
        const v = fc.integer({ min, max });
        const pair = fc.tuple(v, v).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
        const step = fc.integer({ min: 1, max: max - min + 1 });
        const arbs = [
            fc.constant("*"),
            v.map(String),
            pair.map(([a, b]) => `${a}-${b}`),
            step.map((s) => `*/${s}`),
            fc.tuple(pair, step).map(([[a, b], s]) => `${a}-${b}/${s}`),
            fc.tuple(v, step).map(([a, s]) => `${a}/${s}`),
        ];
        if (names) {
            // Names count from the field's minimum; day-of-week's 7 has no name.
            const named = fc.integer({ min: 0, max: names.length - 1 }).map((i) => names[i]!);
            arbs.push(
                named,
                named.map((n) => n.toLowerCase()),
            );
        }
        return fc.oneof(...arbs);
    };
    const field = (i: number, names?: readonly string[]) => {
        const [min, max] = RANGES[i]!;
        return fc.array(item(min, max, names), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(","));
    };
    const validCron = fc
        .tuple(field(0), field(1), field(2), field(3, MONTHS), field(4, DAYS))
        .map((fields) => fields.join(" "));

    it("parseCron reads every one, and every set is sorted, non-empty and within its field's range", () => {
        fc.assert(
            fc.property(validCron, (cron) => {
                const p = value(parseCron(cron));
                p.sets.forEach((set, i) => {
                    const [min, max] = RANGES[i]!;
                    expect(set.length).toBeGreaterThan(0);
                    expect([...set].sort((a, b) => a - b)).toEqual(set);
                    expect(new Set(set).size).toBe(set.length);
                    for (const v of set) {
                        expect(Number.isInteger(v)).toBe(true);
                        expect(v).toBeGreaterThanOrEqual(min);
                        expect(v).toBeLessThanOrEqual(i === 4 ? 6 : max);
                    }
                });
            }),
        );
    });

    it("toSystemdOnCalendar and toAwsCron both succeed or both fail, and fail only on the day rule", () => {
        fc.assert(
            fc.property(validCron, (cron) => {
                const aws = toAwsCron(cron);
                const systemd = toSystemdOnCalendar(cron);
                expect(systemd.ok).toBe(aws.ok);
                if (!aws.ok) {
                    expect(aws.message).toMatch(/both day-of-month and day-of-week/);
                    const { full } = value(parseCron(cron));
                    expect(full[2] || full[4]).toBe(false);
                }
            }),
        );
    });

    it("toAwsCron always yields six fields with exactly one of day-of-month / day-of-week as ?", () => {
        fc.assert(
            fc.property(validCron, (cron) => {
                const r = toAwsCron(cron);
                if (!r.ok) return;
                const fields = /^cron\((.*)\)$/.exec(r.value)![1]!.split(" ");
                const [, , d, , w, year] = fields;
                expect(fields).toHaveLength(6);
                expect(year).toBe("*");
                expect(d === "?").not.toBe(w === "?");
                expect(fields.join("")).not.toMatch(/[^0-9,*?/-]/);
            }),
        );
    });
});
