import Testing
@testable import CostModel

/// MaxText's mesh and remat policies as Loom maps them (MaxText `configs/base.yml`,
/// `layers/decoders.py` get_remat_policy; PaLM, Chowdhery et al. 2022, section 4).
@Suite struct JAXShardingTests {
    /// PaLM 540B: per pod 12-way tensor x 256-way fsdp = 3,072 chips, two pods as 2-way data
    /// parallelism over DCN.
    @Test func palmMesh() throws {
        let mesh = try #require(JAXMesh(tp: 12, cp: 1, dp: 512, ep: 1, fsdp: 256, slices: 2))
        #expect(mesh.tensor == .init(ici: 12, dcn: 1))
        #expect(mesh.fsdp == .init(ici: 256, dcn: 1))
        #expect(mesh.data == .init(ici: 1, dcn: 2))
        #expect(mesh.chipsPerSlice == 3072)
        #expect(mesh.slices == 2)
    }

    /// MaxText's 22B run on 2 x v4-128 (MaxText/configs/2xv4-128.sh): `dcn_data_parallelism=2
    /// ici_fsdp_parallelism=64`; one slice of v4-1024 without an HSDP split: all fsdp.
    @Test func maxTextRunMeshes() throws {
        let twoSlices = try #require(JAXMesh(tp: 1, cp: 1, dp: 128, ep: 1, fsdp: 64, slices: 2))
        #expect(twoSlices.configKeys.filter { $0.1 != 1 }.map(\.0) == ["dcn_data_parallelism", "ici_fsdp_parallelism"])
        #expect(twoSlices.data.dcn == 2 && twoSlices.fsdp.ici == 64)
        // Full sharding over two slices: the fsdp axis spans DCN.
        let wide = try #require(JAXMesh(tp: 4, cp: 1, dp: 32, ep: 1, fsdp: 32, slices: 2))
        #expect(wide.fsdp == .init(ici: 16, dcn: 2))
        #expect(wide.data == .init(ici: 1, dcn: 1))
        // A shard group that does not divide dp has no mesh.
        #expect(JAXMesh(tp: 1, cp: 1, dp: 96, ep: 1, fsdp: 64, slices: 1) == nil)
    }

    /// Context parallelism: MaxText's sequence axis shards the weights beside the fsdp axis
    /// (base.yml's `logical_axis_rules` put `embed` on both), so Loom's shard group over dp x cp
    /// = 16 ranks at cp 2 is fsdp 8 x sequence 2; a shard group that is no multiple of cp, or
    /// ZeRO-0 beside a sequence axis, has no mesh, and base.yml has no ZeRO-1 or -2.
    @Test func contextParallelMesh() throws {
        let mesh = try #require(JAXMesh(tp: 8, cp: 2, dp: 8, ep: 1, fsdp: 16, slices: 1))
        #expect(mesh.fsdp == .init(ici: 8, dcn: 1) && mesh.sequence == .init(ici: 2, dcn: 1))
        #expect(mesh.data == .init(ici: 1, dcn: 1) && mesh.chipsPerSlice == 8 * 2 * 8)
        #expect(JAXMesh(tp: 8, cp: 2, dp: 8, ep: 1, fsdp: 3, slices: 1) == nil)
        #expect(JAXMesh.shardRanks(zero: 3, dp: 8, cp: 2, shardGroup: nil) == 16)
        #expect(JAXMesh.shardRanks(zero: 3, dp: 8, cp: 2, shardGroup: 4) == 4)
        #expect(JAXMesh.shardRanks(zero: 0, dp: 8, cp: 1, shardGroup: nil) == 1)
        #expect(JAXMesh.shardRanks(zero: 0, dp: 8, cp: 2, shardGroup: nil) == nil)
        #expect(JAXMesh.shardRanks(zero: 1, dp: 8, cp: 1, shardGroup: nil) == nil)
        #expect(JAXMesh.shardRanks(zero: 2, dp: 8, cp: 1, shardGroup: nil) == nil)
    }

    /// What each policy keeps and recomputes (decoders.py names).
    @Test func rematPolicies() {
        #expect(RematPolicy.full.saved.isEmpty)
        #expect(RematPolicy.minimal.saved == [.qkv, .outProj, .mlpIn, .mlpOut])
        #expect(RematPolicy.saveQKVProj.saved == [.qkv])
        // Minimal recomputes no projection, only the attention core (its dots have a batch
        // dimension) and the elementwise ops between the kept dots: both norms, the first
        // residual add (the MLP norm's input), the activation, rotary (it follows the kept dots).
        let minimal = RematPolicy.minimal.recomputed(parallelBlock: false)
        let sequentialOps = ElementwiseOps(norms: 2, residualAdds: 1, activation: true, rotary: true, headNorms: true)
        #expect(minimal == .init(qkv: 0, attentionCore: true, outProj: false, mlpIn: 0, elementwise: sequentialOps))
        // Full on a parallel block (PaLM): Q, K, V, the core and the MLP input projections, not
        // the two output projections, whose outputs only enter the residual sum, nor its adds.
        let parallelOps = ElementwiseOps(norms: 2, residualAdds: 0, activation: true, rotary: true, headNorms: true)
        #expect(RematPolicy.full.recomputed(parallelBlock: true)
                == .init(qkv: 1, attentionCore: true, outProj: false, mlpIn: 1, elementwise: parallelOps))
        #expect(RematPolicy.full.recomputed(parallelBlock: false).outProj)
        #expect(RematPolicy.none.recomputed(parallelBlock: false) == .init(qkv: 0, attentionCore: false, outProj: false, mlpIn: 0))
        #expect(RematPolicy.none.recomputed(parallelBlock: false).elementwise == .nothing)
        // The name-based policies keep Q and K after the rotary embedding: not re-run.
        #expect(!RematPolicy.saveQKVProj.recomputed(parallelBlock: false).elementwise.rotary)
        #expect(RematPolicy.saveOutProj.recomputed(parallelBlock: false).elementwise.rotary)
        // Kept elements per token: PaLM per chip at tp 12 (d 18432 -> 1536; q 12288/12 = 1024
        // plus the replicated K and V head, 512; SwiGLU input 2 x 73728 / 12 = 12288).
        let palm = RematPolicy.Widths(hidden: 1536, qkv: 1024 + 512, context: 1024, mlpIn: 12288,
                                      mlpActivation: 6144, parallelBlock: true)
        #expect(RematPolicy.full.keptElementsPerToken(palm) == 1536)
        #expect(RematPolicy.saveQKVProj.keptElementsPerToken(palm) == 1536 + 1536)
        // Minimal marks all four projections saveable, but JAX keeps only residuals the backward
        // reads: in a parallel block the output projection and the MLP output only enter the
        // residual sum, so input + Q/K/V + MLP input (JAX docs, autodiff_remat: of sin(dot(W, x))
        // the residuals are sin and cos, not the dot).
        #expect(RematPolicy.minimal.keptElementsPerToken(palm) == 1536 + 1536 + 12288)
        // In a sequential block the MLP norm reads h = x + attention output, recomputed from the
        // kept output projection: one more hidden width; the MLP output still never.
        var sequential = palm
        sequential.parallelBlock = false
        let minimalSequential: Double = 1536 + 1536 + 1536 + 12288
        #expect(RematPolicy.minimal.keptElementsPerToken(sequential) == minimalSequential)
        let exceptMLPWISequential: Double = 1536 + 1536 + 1536
        #expect(RematPolicy.saveDotExceptMLPWI.keptElementsPerToken(sequential) == exceptMLPWISequential)
        // none keeps everything the backward reads: input, Q/K/V, context, the two norm outputs,
        // the MLP input and the activation output.
        let everythingRead: Double = 1536 + 1536 + 1024 + 2 * 1536 + 12288 + 6144
        #expect(RematPolicy.none.keptElementsPerToken(palm) == everythingRead)
    }

    /// An expert axis inside the fsdp group: the mesh still covers every chip exactly once, so
    /// the product of all axes is tp x cp x dp (MaxText builds the mesh from the product of the
    /// ICI axes per slice times the DCN axes, `create_device_mesh`). TP 2, dp 64 with ep 8 on
    /// one slice: ici_fsdp 64 / 8 = 8, ici_expert 8; on two slices dp 128 puts 2 replicas on DCN.
    @Test func expertAxisSplitsTheShardGroup() throws {
        let one = try #require(JAXMesh(tp: 2, cp: 1, dp: 64, ep: 8, fsdp: 64, slices: 1))
        #expect(one.fsdp == .init(ici: 8, dcn: 1) && one.expert == .init(ici: 8, dcn: 1))
        #expect(one.chipsPerSlice * one.slices == 2 * 64)
        let two = try #require(JAXMesh(tp: 2, cp: 1, dp: 128, ep: 8, fsdp: 64, slices: 2))
        #expect(two.data == .init(ici: 1, dcn: 2))
        #expect(two.chipsPerSlice == 128 && two.slices == 2)
        #expect(two.configKeys.contains { $0 == ("ici_expert_parallelism", 8) })
    }

    /// The named tensors MaxText's policies save (`get_remat_policy`, `save_only_these_names`):
    /// `save_dot_with_context_except_mlp` query/key/value/qkv_proj, context, out_proj;
    /// `save_dot_except_mlpwi` the projections and out_proj and `mlpwo` (the MLP's output
    /// projection, not its input `mlpwi`); `save_dot_except_mlp` the projections and out_proj;
    /// `save_out_proj` out_proj.
    @Test func savedNamesFollowMaxText() {
        #expect(RematPolicy.saveDotWithContextExceptMLP.saved == [.qkv, .context, .outProj])
        #expect(RematPolicy.saveDotExceptMLPWI.saved == [.qkv, .outProj, .mlpOut])
        #expect(RematPolicy.saveDotExceptMLP.saved == [.qkv, .outProj])
        #expect(RematPolicy.saveOutProj.saved == [.outProj])
        // Saving the context spares the attention core's recomputation; saving mlpwo does not
        // spare the MLP input projections'.
        #expect(!RematPolicy.saveDotWithContextExceptMLP.recomputed(parallelBlock: false).attentionCore)
        #expect(RematPolicy.saveDotExceptMLPWI.recomputed(parallelBlock: false).mlpIn == 1)
    }
}
