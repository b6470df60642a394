package org.dhis2.sync.sandbox;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ISO period identifiers the sandbox understands (daily, weekly, monthly, quarterly, six-monthly, yearly). */
final class AggregatePeriods {

    private static final Pattern DAILY = Pattern.compile("^(\\d{4})(\\d{2})(\\d{2})$");
    private static final Pattern MONTHLY = Pattern.compile("^(\\d{4})(\\d{2})$");
    private static final Pattern YEARLY = Pattern.compile("^(\\d{4})$");
    private static final Pattern QUARTERLY = Pattern.compile("^(\\d{4})Q([1-4])$");
    private static final Pattern SIX_MONTHLY = Pattern.compile("^(\\d{4})S([12])$");
    private static final Pattern WEEKLY = Pattern.compile("^(\\d{4})W(\\d{1,2})$");

    /** First and last day of a period. */
    record Range(LocalDate start, LocalDate end) {
        boolean within(LocalDate from, LocalDate to) {
            return !start.isBefore(from) && !end.isAfter(to);
        }
    }

    private AggregatePeriods() {
    }

    static Optional<Range> range(String iso) {
        if (iso == null) {
            return Optional.empty();
        }
        try {
            Matcher m;
            if ((m = MONTHLY.matcher(iso)).matches()) {
                YearMonth ym = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                return Optional.of(new Range(ym.atDay(1), ym.atEndOfMonth()));
            }
            if ((m = YEARLY.matcher(iso)).matches()) {
                int y = Integer.parseInt(m.group(1));
                return Optional.of(new Range(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31)));
            }
            if ((m = DAILY.matcher(iso)).matches()) {
                LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                return Optional.of(new Range(d, d));
            }
            if ((m = QUARTERLY.matcher(iso)).matches()) {
                YearMonth first = YearMonth.of(Integer.parseInt(m.group(1)), (Integer.parseInt(m.group(2)) - 1) * 3 + 1);
                return Optional.of(new Range(first.atDay(1), first.plusMonths(2).atEndOfMonth()));
            }
            if ((m = SIX_MONTHLY.matcher(iso)).matches()) {
                YearMonth first = YearMonth.of(Integer.parseInt(m.group(1)), (Integer.parseInt(m.group(2)) - 1) * 6 + 1);
                return Optional.of(new Range(first.atDay(1), first.plusMonths(5).atEndOfMonth()));
            }
            if ((m = WEEKLY.matcher(iso)).matches()) {
                int week = Integer.parseInt(m.group(2));
                LocalDate monday = LocalDate.of(Integer.parseInt(m.group(1)), 6, 1)
                        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                if (week < 1 || week > 53) {
                    return Optional.empty();
                }
                return Optional.of(new Range(monday, monday.plusDays(6)));
            }
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static boolean isValid(String iso) {
        return range(iso).isPresent();
    }

    /** The {@code count} monthly periods ending with {@code last}, oldest first ({@code 202401}). */
    static List<String> months(YearMonth last, int count) {
        List<String> periods = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            YearMonth ym = last.minusMonths(i);
            periods.add(String.format("%04d%02d", ym.getYear(), ym.getMonthValue()));
        }
        return periods;
    }
}
