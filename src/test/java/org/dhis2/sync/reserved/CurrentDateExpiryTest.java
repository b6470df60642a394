package org.dhis2.sync.reserved;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The CURRENT_DATE expiry, as the Android SDK's TrackedEntityAttributeReservedValueValidatorHelper computes it. */
class CurrentDateExpiryTest {

    private static final LocalDate WEDNESDAY = LocalDate.of(2026, 12, 2);

    @Test
    void weekFormatsExpireNextMonday() {
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(yyyy-ww) + RANDOM(###)", WEDNESDAY))
                .contains(LocalDate.of(2026, 12, 7));
        // a value made on a Monday is valid all that week, on Sunday only that day
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(ww) + RANDOM(#)", LocalDate.of(2026, 12, 7)))
                .contains(LocalDate.of(2026, 12, 14));
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(ww) + RANDOM(#)", LocalDate.of(2026, 12, 6)))
                .contains(LocalDate.of(2026, 12, 7));
    }

    @Test
    void monthFormatsExpireOnTheFirstOfNextMonth() {
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(yyyyMM) + \"-\" + RANDOM(X##)", WEDNESDAY))
                .contains(LocalDate.of(2027, 1, 1));
        assertThat(CurrentDateExpiry.firstInvalidDay("RANDOM(###) + CURRENT_DATE(MM)", LocalDate.of(2026, 1, 31)))
                .contains(LocalDate.of(2026, 2, 1));
    }

    @Test
    void yearFormatsExpireOnTheFirstOfJanuary() {
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(YYYY) + SEQUENTIAL(###)", WEDNESDAY))
                .contains(LocalDate.of(2027, 1, 1));
        // stricter than the SDK, which looks for Y only: yyyy is the year in DHIS2's SimpleDateFormat patterns
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(yy) + SEQUENTIAL(###)", WEDNESDAY))
                .contains(LocalDate.of(2027, 1, 1));
    }

    @Test
    void dayFormatsExpireTheNextDayAndWeeksWinOverMonths() {
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(yyyyMMdd) + RANDOM(##)", WEDNESDAY))
                .contains(LocalDate.of(2026, 12, 3));
        assertThat(CurrentDateExpiry.firstInvalidDay("CURRENT_DATE(MM-ww) + RANDOM(##)", WEDNESDAY))
                .contains(LocalDate.of(2026, 12, 7));
    }

    @Test
    void patternsWithoutADateHaveNoSuchExpiry() {
        assertThat(CurrentDateExpiry.firstInvalidDay("RANDOM(X####)", WEDNESDAY)).isEmpty();
        assertThat(CurrentDateExpiry.firstInvalidDay("\"MR-\" + ORG_UNIT_CODE(...) + SEQUENTIAL(###)", WEDNESDAY))
                .isEmpty();
        // text that looks like a date segment is text
        assertThat(CurrentDateExpiry.firstInvalidDay("\"CURRENT_DATE(MM)\" + RANDOM(#)", WEDNESDAY)).isEmpty();
        assertThat(CurrentDateExpiry.firstInvalidDay(null, WEDNESDAY)).isEmpty();
    }
}
