package dev.parley.privacy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OverlapResolutionTest {

    private static Detector fixed(Finding... findings) {
        return text -> List.of(findings);
    }

    @Test
    void higherScoreWinsOverLonger() {
        Detector detector = Detectors.combine(fixed(new Finding("LONG", 0, 10, 0.5)), fixed(new Finding("SHORT", 2, 4, 0.9)));
        assertThat(detector.detect("0123456789")).containsExactly(new Finding("SHORT", 2, 4, 0.9));
    }

    @Test
    void longerWinsWhenScoresTie() {
        Detector detector = Detectors.combine(fixed(new Finding("SHORT", 2, 4, 0.9)), fixed(new Finding("LONG", 0, 10, 0.9)));
        assertThat(detector.detect("0123456789")).containsExactly(new Finding("LONG", 0, 10, 0.9));
    }

    @Test
    void earlierWinsWhenScoreAndLengthTie() {
        Detector detector = Detectors.combine(fixed(new Finding("LATER", 3, 6, 0.9)), fixed(new Finding("EARLIER", 1, 4, 0.9)));
        assertThat(detector.detect("0123456789")).containsExactly(new Finding("EARLIER", 1, 4, 0.9));
    }

    @Test
    void findingsThatOnlyTouchBothSurvive() {
        Detector detector = Detectors.combine(fixed(new Finding("A", 0, 3, 0.5)), fixed(new Finding("B", 3, 6, 0.9)));
        assertThat(detector.detect("0123456789")).extracting(Finding::type).containsExactly("A", "B");
    }

    @Test
    void aLoserOfOneOverlapDoesNotBlockOthers() {
        Detector detector = Detectors.combine(fixed(
                new Finding("MIDDLE", 2, 8, 0.5), new Finding("LEFT", 0, 3, 0.9), new Finding("RIGHT", 7, 10, 0.9)));
        assertThat(detector.detect("0123456789")).extracting(Finding::type).containsExactly("LEFT", "RIGHT");
    }

    @Test
    void aUrlWithCredentialsWinsOverTheAddressInsideIt() {
        String text = "use https://bob:secret@mail.example.com/inbox today";
        assertThat(Found.in(Detectors.defaults(), text))
                .containsExactly("URL_CREDENTIALS=https://bob:secret@mail.example.com/inbox");
    }

    @Test
    void anIbanWinsOverNumbersInsideIt() {
        assertThat(Found.in(Detectors.defaults(), "pay to DE89 3704 0044 0532 0130 00 today"))
                .containsExactly("IBAN=DE89 3704 0044 0532 0130 00");
    }

    @Test
    void aJwtInABearerHeaderIsOneSecret() {
        String jwt = SecretDetectorTest.jwt();
        assertThat(Found.in(Detectors.defaults(), "Authorization: Bearer " + jwt)).containsExactly("SECRET=" + jwt);
    }

    @Test
    void findingsOutsideTheTextAreRejectedNamingTheDetector() {
        Detector broken = new Detector() {
            @Override
            public List<Finding> detect(CharSequence text) {
                return List.of(new Finding("X", 0, text.length() + 1, 1.0));
            }

            @Override
            public String toString() {
                return "BrokenDetector";
            }
        };
        assertThatThrownBy(() -> Detectors.combine(broken).detect("abc"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BrokenDetector");
    }
}
