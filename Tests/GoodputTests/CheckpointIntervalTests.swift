import Goodput
import Testing

/// Young 1974 and Daly 2006 optimal checkpoint intervals against published figures.
@Suite struct CheckpointIntervalTests {
    @Test func dalysPublishedOptimaAreReproduced() {
        // Daly 2006, figures 3-5: R = 10 min, delta = 5 min; the model predicts tau_opt = 117 min
        // (M = 24 h), 57 min (M = 6 h) and 9.1 min (M = 15 min).
        let delta = 5.0 * 60
        #expect(abs(CheckpointInterval.daly(delta: delta, mtbf: 24 * 3600) / 60 - 117) < 0.5)
        #expect(abs(CheckpointInterval.daly(delta: delta, mtbf: 6 * 3600) / 60 - 57) < 0.5)
        #expect(abs(CheckpointInterval.daly(delta: delta, mtbf: 15 * 60) / 60 - 9.1) < 0.05)
    }

    @Test func youngIsSquareRootOfTwiceDeltaTimesMTBF() {
        // sqrt(2 x 5 min x 24 h) = sqrt(2 x 300 x 86,400) s = 7,200 s = 120 min.
        #expect(abs(CheckpointInterval.young(delta: 300, mtbf: 86_400) - 7_200) < 1e-9)
    }

    @Test func dalyIsTheMTBFWhenTheCheckpointTakesLongerThanTwoMTBFs() {
        #expect(CheckpointInterval.daly(delta: 3_000, mtbf: 1_000) == 1_000)
    }
}
