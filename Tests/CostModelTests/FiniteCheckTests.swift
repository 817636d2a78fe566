import CostModel
import Testing

/// The output-boundary check: a non-finite figure becomes one error naming the figure and inputs.
@Suite struct FiniteCheckTests {
    func estimate() -> Estimate {
        let model = megatronGPT(layers: 24, hidden: 2048, heads: 16)
        return Estimator(model: model, cluster: dgxA100()).estimate(ParallelLayout(tp: 8, globalBatch: 8), recipe: TrainingRecipe())
    }

    @Test func aFiniteEstimatePasses() throws {
        try FiniteCheck.check(estimate(), what: "estimate", inputs: "--model m --cluster c")
    }

    @Test func aNaNStepTimeIsNamedByItsJSONKey() {
        var bad = estimate()
        bad.stepTimeS = .nan
        let error = #expect(throws: NonFiniteResult.self) {
            try FiniteCheck.check(bad, what: "estimate", inputs: "--model m --cluster c")
        }
        #expect(error?.field == "step_time_s")
        #expect(error?.description == "the estimate's step_time_s is nan, not a finite number: the inputs (--model m "
                    + "--cluster c) hold values outside what the cost model can compute; check the model and topology files")
    }

    @Test func anInfinityInsideAListIsNamedWithItsIndex() {
        var bad = estimate()
        bad.stageUtilisation = [0.5, .infinity]
        let error = #expect(throws: NonFiniteResult.self) { try FiniteCheck.check(bad, what: "estimate", inputs: "x") }
        #expect(error?.field == "stage_utilisation[1]")
        #expect(error?.value == "inf")
    }
}
