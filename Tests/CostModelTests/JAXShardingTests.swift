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

    /// What each policy keeps and recomputes (decoders.py names).
    @Test func rematPolicies() {
        #expect(RematPolicy.full.saved.isEmpty)
        #expect(RematPolicy.minimal.saved == [.qkv, .outProj, .mlpIn, .mlpOut])
        #expect(RematPolicy.saveQKVProj.saved == [.qkv])
        // Minimal recomputes only the attention core (its dots have a batch dimension).
        let minimal = RematPolicy.minimal.recomputed(parallelBlock: false)
        #expect(minimal == .init(qkv: 0, attentionCore: true, outProj: false, mlpIn: 0))
        // Full on a parallel block (PaLM): Q, K, V, the core and the MLP input projections, not
        // the two output projections, whose outputs only enter the residual sum.
        #expect(RematPolicy.full.recomputed(parallelBlock: true) == .init(qkv: 1, attentionCore: true, outProj: false, mlpIn: 1))
        #expect(RematPolicy.full.recomputed(parallelBlock: false).outProj)
        #expect(RematPolicy.none.recomputed(parallelBlock: false) == .init(qkv: 0, attentionCore: false, outProj: false, mlpIn: 0))
        // Kept elements per token: PaLM per chip at tp 12 (d 18432 -> 1536; q 12288/12 = 1024
        // plus the replicated K and V head, 512; SwiGLU input 2 x 73728 / 12 = 12288).
        let palm = RematPolicy.Widths(hidden: 1536, qkv: 1024 + 512, context: 1024, mlpIn: 12288,
                                      mlpActivation: 6144, parallelBlock: true)
        #expect(RematPolicy.full.keptElementsPerToken(palm) == 1536)
        #expect(RematPolicy.saveQKVProj.keptElementsPerToken(palm) == 1536 + 1536)
        #expect(RematPolicy.minimal.keptElementsPerToken(palm) == 1536 + 1536 + 1536 + 12288 + 1536)
    }
}
