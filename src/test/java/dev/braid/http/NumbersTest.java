package dev.braid.http;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {

    @Test
    void wholeNumbersAreAsciiDigitsWithAnOptionalMinus() {
        assertThat(Numbers.integer("20")).isEqualTo(20);
        assertThat(Numbers.integer("-7")).isEqualTo(-7);
        assertThat(Numbers.integer("0000000005")).isEqualTo(5);
        assertThat(Numbers.integer("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(Numbers.integer("-2147483648")).isEqualTo(Integer.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+5", " 5", "5 ", "1e3", "0x10", "2147483648", "99999999999", "000000000005",
                            "\uff11\uff10", "\u0661\u0662", "\u0967", "5.0", "--5", "5-"})
    void anythingElseIsNotAWholeNumber(String text) {
        assertThat(Numbers.integer(text)).isNull();
    }

    @Test
    void decimalsAreBoundedInDigitsAndScale() {
        assertThat(Numbers.decimal("19.99", 10, 6)).isEqualByComparingTo("19.99");
        assertThat(Numbers.decimal("1000000000", 10, 6)).isEqualByComparingTo("1000000000");
        assertThat(Numbers.decimal("0.000001", 10, 6)).isEqualByComparingTo(new BigDecimal("0.000001"));
        assertThat(Numbers.decimal("-3", 10, 6)).isEqualByComparingTo("-3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "1.", ".5", "1e-999999999", "1E+9", "+1", "1,5", " 1", "12345678901", "0.0000001",
                            "1.2.3", "NaN", "Infinity", "\uff11", "١", "--1", "1-"})
    void anythingElseIsNotADecimal(String text) {
        assertThat(Numbers.decimal(text, 10, 6)).isNull();
    }
}
