import CostModel
import Foundation
import Testing
import Workloads

@Suite struct CheckpointSizeTests {
    /// Llama 3.1 8B has 8,030,261,248 parameters (Hugging Face config; `loom describe`). In bf16 with
    /// Adam a checkpoint holds 2 (bf16 weight) + 4 (fp32 master) + 8 (two fp32 moments) = 14 bytes
    /// each: 112,423,657,472 bytes. On one GPU group (TP 1) nothing is replicated, so it is exact.
    @Test func llama8BOnTP1IsFourteenBytesAParameter() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let layout = ParallelLayout(tp: 1, pp: 1, dp: 64, zero: 1, globalBatch: 512, seq: 8192)
        let size = CheckpointSize.of(model: model, geometry: LayerGeometry(model: model), layout: layout,
                                     recipe: TrainingRecipe())
        let params = 8_030_261_248.0
        #expect(size.weightBytes == params * 2)
        #expect(size.masterWeightBytes == params * 4)
        #expect(size.optimizerMomentBytes == params * 8)
        #expect(size.totalBytes == 112_423_657_472)
        // Fully parallel save: every one of the 64 GPUs writes 1/64.
        #expect(size.writtenPerGPUBytes == 112_423_657_472 / 64)
        // ZeRO-1 over 64: a GPU holds its whole bf16 weights (16.06 GB) and 1/64 of the 12-byte state.
        #expect(abs(size.heldPerGPUBytes - (params * 2 + params * 12 / 64)) < 1)
    }

    /// The checkpoint does not depend on how the model is split: TP 8 x PP 16 of Llama 3.1 405B
    /// (405,853,388,800 parameters) holds the same 14 bytes a parameter, up to the norm vectors each
    /// TP rank keeps a copy of (126 layers x 2 x 16,384 x 7 extra copies = 28.9M parameters, 7e-5).
    /// 405.85e9 x 14 = 5.68 TB, Meta's 405B checkpoint size order (Goodput README).
    @Test func shardingDoesNotChangeTheTotal() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-405b")
        let params = Double(model.totalParameters)
        let split = ParallelLayout(tp: 8, pp: 16, dp: 128, zero: 1, globalBatch: 2048, seq: 8192)
        let size = CheckpointSize.of(model: model, geometry: LayerGeometry(model: model), layout: split,
                                     recipe: TrainingRecipe())
        #expect(abs(size.totalBytes / (params * 14) - 1) < 1e-4)
        #expect(abs(size.totalBytes / 5.68e12 - 1) < 0.002)
        #expect(size.gpus == 16_384)
    }

    /// SGD keeps one fp32 momentum: 2 + 4 + 4 = 10 bytes a parameter.
    @Test func optimizerStateFollowsTheRecipe() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let layout = ParallelLayout(tp: 1, pp: 1, dp: 8, globalBatch: 64, seq: 8192)
        let size = CheckpointSize.of(model: model, geometry: LayerGeometry(model: model), layout: layout,
                                     recipe: TrainingRecipe(optimizer: .sgd))
        #expect(size.optimizerMomentBytes == 8_030_261_248 * 4)
        #expect(size.totalBytes == 8_030_261_248 * 10)
    }

    /// Mixtral 8x7B under expert parallelism 8: each GPU holds one of the 8 experts of a layer,
    /// and the checkpoint still saves all of them once. Its 46,702,792,704 parameters (Mistral's
    /// config: 32 layers of h 4,096; Q and O 4,096 x 4,096 and K and V 4,096 x 1,024 = 41,943,040;
    /// 8 experts of 3 x 4,096 x 14,336 = 1,409,286,144; router 4,096 x 8; two norms of 4,096;
    /// untied 32,000 x 4,096 embedding and output layer; final norm) at 14 bytes each.
    @Test func expertParallelShardsAreEachSavedOnce() throws {
        let model = try ModelCatalog.preset(named: "mixtral-8x7b")
        let layer: Double = 41_943_040 + 1_409_286_144 + 4096 * 8 + 2 * 4096
        let params: Double = 32 * layer + 2 * 32_000 * 4096 + 4096
        #expect(params == 46_702_792_704)
        let layout = ParallelLayout(tp: 1, pp: 1, dp: 8, ep: 8, zero: 1, globalBatch: 64, seq: 4096)
        let size = CheckpointSize.of(model: model, geometry: LayerGeometry(model: model), layout: layout,
                                     recipe: TrainingRecipe())
        #expect(size.totalBytes == 14 * params)
    }
}
