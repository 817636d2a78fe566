import Foundation
import Testing
@testable import Workloads

/// `validate()`: every bad description is one line naming the field, its value and the rule.
@Suite struct ValidationTests {
    static func model(
        layers: Int = 2, hidden: Int = 64, heads: Int = 4, kvHeads: Int? = nil, headDim: Int? = nil,
        ffn: Int = 256, vocab: Int = 100, maxSeq: Int = 128, moe: MoEConfig? = nil
    ) -> TransformerModel {
        TransformerModel(name: "t", layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim,
                         ffn: ffn, mlp: .swiglu, vocab: vocab, maxSeq: maxSeq, moe: moe)
    }

    static func message(_ model: TransformerModel) -> String? {
        Fixtures.error { try model.validate() }
    }

    @Test func validModelPasses() throws {
        try Self.model().validate()
    }

    @Test func zeroAndNegativeSizes() {
        #expect(Self.message(Self.model(layers: 0)) == "layers must be a positive integer, got 0")
        #expect(Self.message(Self.model(vocab: -5)) == "vocab must be a positive integer, got -5")
        #expect(Self.message(Self.model(maxSeq: 0)) == "max_seq must be a positive integer, got 0")
        #expect(Self.message(Self.model(ffn: 0)) == "ffn must be a positive integer, got 0")
        #expect(Self.message(Self.model(heads: 0)) == "heads must be a positive integer, got 0")
    }

    @Test func headsMustDivideHiddenWhenHeadDimIsDerived() {
        #expect(Self.message(Self.model(hidden: 4000, heads: 48)) == "hidden 4000 is not divisible by heads 48")
        // An explicit head size (Gemma: 16 x 256 = 4096 with hidden 3072) needs no divisibility.
        #expect(Self.message(Self.model(hidden: 3072, heads: 16, headDim: 256)) == nil)
    }

    @Test func kvHeadsMustDivideHeads() {
        #expect(Self.message(Self.model(hidden: 4096, heads: 32, kvHeads: 5)) == "kv_heads 5 does not divide heads 32")
        #expect(Self.message(Self.model(hidden: 4096, heads: 32, kvHeads: 64)) == "kv_heads 64 exceeds heads 32")
        #expect(Self.message(Self.model(kvHeads: 0)) == "kv_heads must be a positive integer, got 0")
    }

    @Test func mixtureOfExperts() {
        let tooMany = MoEConfig(experts: 8, expertsPerToken: 10, expertFFN: 64)
        #expect(Self.message(Self.model(moe: tooMany)) == "moe.experts_per_token 10 exceeds moe.experts 8")
        let noExperts = MoEConfig(experts: 0, expertsPerToken: 1, expertFFN: 64)
        #expect(Self.message(Self.model(moe: noExperts)) == "moe.experts must be a positive integer, got 0")
        let dense = MoEConfig(experts: 8, expertsPerToken: 2, expertFFN: 64, denseLayers: 3)
        #expect(Self.message(Self.model(moe: dense)) == "moe.dense_layers must be between 0 and layers 2, got 3")
        // Every layer MoE: the dense ffn is unused and may be 0.
        #expect(Self.message(Self.model(ffn: 0, moe: MoEConfig(experts: 4, expertsPerToken: 1, expertFFN: 64))) == nil)
    }

    @Test func absurdSizesAreRejectedWithoutTrapping() {
        #expect(Self.message(Self.model(hidden: 20_000_000, heads: 4))
            == "hidden 20000000 exceeds the limit of 10000000")
        #expect(Self.message(Self.model(hidden: Int.max, heads: 1)) == "hidden \(Int.max) exceeds the limit of 10000000")
        let huge = Self.model(layers: 100_000, hidden: 10_000_000, heads: 10, ffn: 100_000_000,
                              vocab: 100_000_000, maxSeq: 1 << 30)
        #expect(Self.message(huge) == "model too large: its parameter count does not fit in a 64-bit integer")
        // Counting an invalid model saturates instead of trapping.
        #expect(huge.parameterCount.total == Int.max)
        #expect(Self.model(hidden: Int.max, heads: Int.max, ffn: Int.max).parameterCount.total == Int.max)
        #expect(Self.model(layers: -3, hidden: Int.min, heads: -1).flops().forward.isFinite)
    }

    /// Counting, FLOPs and validation of any combination of extreme values must not trap.
    @Test func extremeValuesNeverTrap() {
        let extremes = [Int.min, -1, 0, 1, 7, Int.max]
        for a in extremes {
            for b in extremes {
                let moe = MoEConfig(experts: a, expertsPerToken: b, expertFFN: a, sharedExperts: b,
                                    sharedExpertFFN: a, denseLayers: b, layerFrequency: a)
                let mla = MLAConfig(qLoraRank: a, kvLoraRank: b, qkNopeHeadDim: a, qkRopeHeadDim: b, vHeadDim: a)
                var model = TransformerModel(
                    name: "x", layers: a, hidden: b, heads: a, kvHeads: b, headDim: a, ffn: b, mlp: .swiglu,
                    vocab: a, maxSeq: b, qkvBias: true, linearBias: true, position: .learned, moe: moe, mla: mla,
                    details: .init(embeddingNorm: true, normsPerBlock: a, positionOffset: b, embeddingProjectionDim: a))
                _ = model.parameterCount.active
                _ = model.parameterCount.activeNonEmbedding
                _ = model.flops(seq: b, causal: true).training
                _ = (0..<3).map { model.isMoELayer($0) }
                _ = Fixtures.error { try model.validate() }
                model.mla = nil
                model.moe = nil
                _ = model.parameterCount.total
                _ = Fixtures.error { try model.validate() }
            }
        }
    }

    /// NaN and fractions can only come from files (the fields are integers); YAML has `.nan`.
    @Test func nanAndFractionsInFiles() throws {
        let nan = try Fixtures.loomYAML(["hidden": ".nan"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(nan) } == "\(nan): key 'hidden' must be an integer, got nan")
        let half = try Fixtures.loomYAML(["layers": "2.5"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(half) } == "\(half): key 'layers' must be an integer, got 2.5")
        let zero = try Fixtures.loomYAML(["layers": "0"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(zero) } == "\(zero): layers must be a positive integer, got 0")
        let big = try Fixtures.temporary("model.json", """
            {"layers": 2, "hidden": 1e300, "heads": 4, "ffn": 256, "vocab": 100, "max_seq": 128, "mlp": "gelu"}
            """)
        #expect(Fixtures.error { _ = try ModelCatalog.load(big) } == "\(big): key 'hidden' must be an integer, got 1e+300")
    }
}
