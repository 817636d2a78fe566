import Foundation
import Testing
@testable import Hardware

/// The interconnect-shaped presets load with their datasheet figures (the numbers below are
/// copied from the datasheets and documentation pages each file cites, not from the files).
@Suite struct InterconnectPresetTests {
    // MARK: TPUs (Cloud TPU system architecture pages; JAX scaling book spec tables)

    @Test func tpuV4IsATorusWith96OpticalLinksPerCube() throws {
        let tpu = try Fixture.preset("tpu-v4")
        #expect(tpu.interconnect == .torus)
        let torus = try #require(tpu.torus)
        #expect(torus.dimensions == 3)
        #expect(torus.podChips == 4096)
        #expect(torus.maxSliceChips == 4096)
        // Jouppi et al. 2023: a 4x4x4 cube has 6 faces x 16 = 96 links to the optical switches;
        // at 50 GB/s each, 96 x 50 / 64 chips = 75 GB/s per chip leaving the cube (not 300).
        #expect(torus.cubeFaceLinks == 96)
        #expect(torus.offCubeBandwidthGBps == 75)
        // 25 GB/s of DCN per 4-chip host (JAX scaling book).
        #expect(tpu.scaleOutBandwidthPerHostGBps == 25)
        #expect(tpu.acceleratorsPerHost == 4)
    }

    @Test func tpuDatasheets() throws {
        // (name, bf16 TFLOP/s, HBM GiB, HBM GB/s, dims, pod chips, chips per host,
        //  bidirectional ICI GB/s per chip from the Cloud TPU page, DCN GB/s per host)
        let rows: [(String, Double, Double, Double, Int, Int, Int, Double, Double)] = [
            ("tpu-v5e", 197, 16, 819, 2, 256, 8, 400, 25),        // 2 x 100 Gbps NICs per host
            ("tpu-v5p", 459, 95, 2765, 3, 8960, 4, 1200, 25),     // 50 Gbps DCN per chip x 4
            ("tpu-v6e", 918, 32, 1638, 2, 256, 8, 800, 25),
            ("tpu-v7x", 2307, 192, 7380, 3, 9216, 4, 1200, 50),   // 100 Gbps DCN per chip x 4
        ]
        for (name, bf16, hbm, bandwidth, dims, pod, host, iciBidi, dcnHost) in rows {
            let tpu = try Fixture.preset(name)
            let torus = try #require(tpu.torus, "\(name)")
            #expect(tpu.accelerator.peakTFLOPS.bf16 == bf16, "\(name)")
            #expect(tpu.accelerator.memoryGiB == hbm, "\(name)")
            #expect(tpu.accelerator.memoryBandwidthGBps == bandwidth, "\(name)")
            #expect(torus.dimensions == dims, "\(name)")
            #expect(torus.podChips == pod, "\(name)")
            #expect(tpu.acceleratorsPerHost == host, "\(name)")
            // 2 links per axis per chip, each both ways: bidi per chip = 2 x dims x 2 x link.
            #expect(2 * Double(dims) * 2 * torus.linkBandwidthGBps == iciBidi, "\(name)")
            #expect(tpu.node.scaleUp.bandwidthGBps == iciBidi / 2, "\(name)")
            #expect(tpu.scaleOutBandwidthPerHostGBps == dcnHost, "\(name)")
        }
        #expect(try Fixture.preset("tpu-v5p").torus?.maxSliceChips == 6144)   // 16x16x24
        #expect(try Fixture.preset("tpu-v5p").accelerator.peakTFLOPS.fp8 == 459)
    }

    /// Slice shapes as the Cloud TPU tables list them: the most cubic factorisation.
    @Test func sliceShapes() throws {
        let v4 = try #require(try Fixture.preset("tpu-v4").torus)
        #expect(v4.sliceShape(chips: 4) == [1, 2, 2])
        #expect(v4.sliceShape(chips: 64) == [4, 4, 4])
        #expect(v4.sliceShape(chips: 128) == [4, 4, 8])
        #expect(v4.sliceShape(chips: 192) == [4, 4, 12])        // whole cubes, not 4x6x8
        #expect(v4.sliceShape(chips: 3072) == [12, 16, 16])     // PaLM's pods (Chowdhery et al. 2022)
        let v5p = try #require(try Fixture.preset("tpu-v5p").torus)
        #expect(v5p.sliceShape(chips: 6144) == [16, 16, 24])    // Cloud TPU v5p docs: largest slice
        let v5e = try #require(try Fixture.preset("tpu-v5e").torus)
        #expect(v5e.sliceShape(chips: 256) == [16, 16])
        #expect(v5e.sliceShape(chips: 32) == [4, 8])
        #expect(v5e.wraps(axisLength: 16) && !v5e.wraps(axisLength: 8))
        #expect(v4.wraps(axisLength: 4) && v4.wraps(axisLength: 12) && !v4.wraps(axisLength: 2))
    }

    // MARK: Blackwell

    @Test func blackwellUltraDatasheets() throws {
        let gb300 = try Fixture.preset("gb300-nvl72")
        // GB300 NVL72 datasheet rack totals with sparsity, halved, / 72.
        #expect(gb300.accelerator.peakTFLOPS.bf16 == 360_000 / 2 / 72)
        #expect(gb300.accelerator.peakTFLOPS.fp8 == 720_000 / 2 / 72)
        #expect(gb300.accelerator.peakTFLOPS.fp4 == 1_080_000 / 72)
        #expect(gb300.accelerator.memoryGiB == 288)
        #expect(gb300.node.scaleUp.bandwidthGBps == 1800 / 2)     // NVLink 5: 1.8 TB/s bidirectional
        #expect(gb300.scaleOut.bandwidthGBps == 800 / 8)           // ConnectX-8: 800 Gb/s
        #expect(gb300.node.scaleUpDomain == 72 && gb300.node.accelerators == 4)
        let b300 = try Fixture.preset("dgx-b300")
        #expect(b300.accelerator.peakTFLOPS.bf16 == 36_000 / 2 / 8)
        #expect(b300.accelerator.peakTFLOPS.fp8 == 72_000 / 2 / 8)
        #expect(b300.accelerator.peakTFLOPS.fp4 == 108_000 / 8)
        #expect(b300.accelerator.memoryGiB == 288)
        #expect(b300.node.scaleUp.bandwidthGBps == 900)
        #expect(b300.scaleOut.bandwidthGBps == 100)
        #expect(b300.acceleratorsPerNode == 8)
        let gb200 = try Fixture.preset("gb200-nvl72")
        #expect(gb200.node.accelerators == 4 && gb200.node.scaleUpDomain == 72)
    }

    // MARK: Workstation and cloud GPUs (PCIe-only)

    /// MI325X (AMD Instinct MI325X datasheet): the MI300X's CDNA 3 peaks (1,307.4 bf16, 2,614.9
    /// fp8 dense) with 256 GB of HBM3E at 6 TB/s; the platform (xGMI mesh, NICs) the MI300X's.
    @Test func mi325xIsTheMI300XWithMoreMemory() throws {
        let mi325x = try Fixture.preset("mi325x"), mi300x = try Fixture.preset("mi300x")
        #expect(mi325x.accelerator.peakTFLOPS.bf16 == 1307.4 && mi325x.accelerator.peakTFLOPS.fp8 == 2614.9)
        #expect(mi325x.accelerator.memoryGiB == 256 && mi325x.accelerator.memoryBandwidthGBps == 6000)
        #expect(mi325x.node.scaleUp == mi300x.node.scaleUp && mi325x.scaleOut == mi300x.scaleOut)
    }

    @Test func pcieDatasheets() throws {
        // (name, 16-bit dense tensor TFLOP/s with FP32 accumulate, memory GB, GB/s, PCIe GB/s per direction)
        let rows: [(String, Double, Double, Double, Double)] = [
            ("rtx-4090", 165.2, 24, 1008, 32),     // Ada whitepaper: 330.3 with FP16 accumulate, halved
            ("rtx-3090", 71, 24, 936, 32),         // GA102 whitepaper: 142 with FP16 accumulate, halved
            ("rtx-a6000", 154.8, 48, 768, 32),     // datasheet 309.7 with sparsity
            ("l4", 121, 24, 300, 32),              // datasheet 242 with sparsity
            ("l40s", 362, 48, 864, 32),            // datasheet 362.05 dense
            ("a10g", 125, 24, 600, 32),            // A10 datasheet 250 with sparsity
            ("t4", 65, 16, 320, 16),               // fp16 (no bf16), PCIe Gen3
            ("v100-16gb", 112, 16, 900, 16),       // V100 PCIe fp16 (no bf16), PCIe Gen3
            ("v100-32gb", 112, 32, 900, 16),
            ("a100-40gb-pcie", 312, 40, 1555, 32),
            ("a100-80gb-pcie", 312, 80, 1935, 32),
            ("h100-pcie", 756, 80, 2000, 64),      // datasheet 1,513 with sparsity, PCIe Gen5
            ("rtx-5090", 209.5, 32, 1792, 64),     // RTX Blackwell whitepaper: 419 with FP16 accumulate, halved; PCIe Gen5
            ("rtx-6000-ada", 364.2, 48, 960, 32),  // datasheet 1,457 FP8 with sparsity / 4
            ("rtx-pro-6000", 500, 96, 1792, 64),   // datasheet 4,000 FP4 TOPS with sparsity / 8; PCIe Gen5
            ("rtx-a5000", 111.1, 24, 768, 32),     // datasheet 222.2 with sparsity
            ("l40", 181, 48, 864, 32),             // datasheet 362.1 with sparsity (181.05 dense)
            ("a40", 149.7, 48, 696, 32),           // datasheet 299.4 with sparsity
            ("rtx-3060", 25.5, 12, 360, 32),       // 112 tensor cores x 1.777 GHz x 128 (GA102 whitepaper's rate)
            ("rtx-3070", 40.6, 8, 448, 32),        // GA102 whitepaper appendix (GA104): 81.3 with FP16 accumulate, halved
            ("rtx-3080", 59.5, 10, 760, 32),       // GA102 whitepaper: 119 with FP16 accumulate, halved
            ("rtx-4060", 30.2, 8, 272, 16),        // 242 AI TOPS (FP8 sparse) / 8 = 96 tensor cores x 2.46 GHz x 128; PCIe Gen4 x8
            ("rtx-4060-ti", 44.1, 16, 288, 16),    // 136 tensor cores x 2.535 GHz x 128 (Ada whitepaper's rate)
            ("rtx-4070", 58.3, 12, 504, 32),       // 184 tensor cores x 2.475 GHz x 128
            ("rtx-4070-ti", 80.2, 12, 504, 32),    // Ada whitepaper: 160.4 with FP16 accumulate, halved
            ("rtx-4080", 97.5, 16, 716.8, 32),     // Ada whitepaper: 194.9 with FP16 accumulate, halved
            ("rtx-a4000", 76.7, 16, 448, 32),      // datasheet 153.4 with sparsity
            ("p100", 18.7, 16, 732, 16),           // datasheet fp16 (no tensor cores, no bf16), PCIe Gen3
            ("rtx-2080-ti", 53.8, 11, 616, 16),    // Turing whitepaper fp16 with FP32 accumulate (no bf16), PCIe Gen3
        ]
        for (name, peak, memory, bandwidth, pcie) in rows {
            let cluster = try Fixture.preset(name)
            #expect(cluster.interconnect == .pcie, "\(name)")
            #expect(cluster.accelerator.peak16BitTFLOPS == peak, "\(name)")
            #expect(cluster.accelerator.memoryGiB == memory, "\(name)")
            #expect(cluster.accelerator.memoryBandwidthGBps == bandwidth, "\(name)")
            #expect(cluster.node.hostLinkGBps == pcie, "\(name)")
            #expect(cluster.node.scaleUp.bandwidthGBps == pcie, "\(name): GPU-to-GPU goes over PCIe")
            #expect(cluster.node.hostMemoryGiB != nil, "\(name)")
        }
    }

    /// GEMM efficiency = the highest published 16-bit GEMM rate / datasheet peak, as MAMF's maximum
    /// is for the SXM parts: mag-/gpu_benchmark README @2218e0a3 (an Optuna search over shapes, as
    /// MAMF; it gives A100 SXM 267.9 and H100 SXM 821.2, beside MAMF's 271.2 and 794.5) or
    /// zzc0721/torch-performance-test-data database.md @9d82827 (best torch.mm over square sizes
    /// 1024-10240, per board), whichever is higher.
    @Test func pcieGEMMEfficienciesAreTheMeasuredRates() throws {
        let measured: [(String, Double)] = [
            ("rtx-4090", 178.8),        // mag-; zzc0721's nine boards 160.5-173.3
            ("rtx-3090", 76.68),        // zzc0721, highest of three boards: above the 71 of the rated boost clock
            ("rtx-a6000", 131.2),       // mag-; zzc0721 123.3
            ("l4", 91.4),               // mag-; zzc0721 70.9
            ("l40s", 269.15),           // zzc0721; mag- 252.0
            ("t4", 42.71),              // zzc0721, fp16, highest of three
            ("a100-40gb-pcie", 256.4),  // mag- "A100 PCIe"; zzc0721's PCIE-40GB 234.1
            ("h100-pcie", 499.5),       // mag-; zzc0721 495.9
            ("rtx-5090", 242.18),       // zzc0721 @0785868, higher of two boards (236.03)
            ("rtx-6000-ada", 278.5),    // mag-
            ("rtx-pro-6000", 417.98),   // zzc0721 @0785868, Workstation Edition (Server Edition 409.42)
            ("rtx-a5000", 93.9),        // mag-
            ("l40", 170.3),             // mag-
            ("rtx-3070", 41.44),        // zzc0721, 8 GB
            ("rtx-3080", 64.68),        // zzc0721, 10 GB on AutoDL
            ("rtx-4060", 31.21),        // zzc0721, 8 GB
            ("rtx-4060-ti", 42.65),     // zzc0721, 16 GB
            ("rtx-a4000", 62.78),       // zzc0721
            ("p100", 8.39),             // zzc0721, fp16 (accumulated in fp32 at the FP32 rate)
            ("rtx-2080-ti", 58.58),     // zzc0721, a 22 GB board
        ]
        for (name, rate) in measured {
            let accelerator = try Fixture.preset(name).accelerator
            #expect(abs(accelerator.matmulEfficiency - rate / accelerator.peak16BitTFLOPS) < 0.006, "\(name)")
        }
    }

    /// The export parts as 8-GPU NVSwitch servers: the A800 is the A100 SXM4 80GB with NVLink cut to
    /// 400 GB/s bidirectional (A800 datasheet); the H20 a Hopper of 148 TFLOP/s dense bf16 with 96 GB
    /// of HBM3 at 4.0 TB/s and the H100's 900 GB/s NVLink (H20 product brief as reported). GEMM
    /// efficiencies from zzc0721 database.md @9d82827: A800 SXM4 80GB 266.48, H20 96GB 141.86.
    @Test func exportPartsDatasheets() throws {
        let a800 = try Fixture.preset("a800-80gb"), a100 = try Fixture.preset("dgx-a100-80gb")
        #expect(a800.interconnect == .switched && a800.acceleratorsPerNode == 8)
        #expect(a800.accelerator.peakTFLOPS == a100.accelerator.peakTFLOPS)
        #expect(a800.accelerator.memoryGiB == 80 && a800.accelerator.memoryBandwidthGBps == 2039)
        #expect(a800.node.scaleUp.bandwidthGBps == 400 / 2 && a800.node.hostLinkGBps == 32)
        #expect(abs(a800.accelerator.matmulEfficiency - 266.48 / 312) < 0.006)
        let h20 = try Fixture.preset("h20")
        let peak = h20.accelerator.peakTFLOPS
        #expect(h20.interconnect == .switched && h20.acceleratorsPerNode == 8)
        #expect(peak.bf16 == 148 && peak.fp8 == 296 && peak.tf32 == 74 && peak.fp32 == 44)
        #expect(h20.accelerator.memoryGiB == 96 && h20.accelerator.memoryBandwidthGBps == 4000)
        #expect(h20.node.scaleUp.bandwidthGBps == 900 / 2 && h20.node.hostLinkGBps == 64)
        #expect(abs(h20.accelerator.matmulEfficiency - 141.86 / 148) < 0.006)
    }

    /// Turing and Volta have no FlashAttention-2 (it needs sm80): PyTorch's SDPA runs the
    /// memory-efficient kernel, which reaches 92 of the A100's 312 TFLOP/s forward + backward at
    /// 16k causal keys where FlashAttention-2 reaches 189 (Dao 2023, "FlashAttention-2", Fig. 4d).
    @Test func partsWithoutFlashAttention2TakeTheMemoryEfficientKernelsRate() throws {
        for name in ["t4", "v100-16gb", "v100-32gb", "p100", "rtx-2080-ti"] {
            #expect(abs(try Fixture.preset(name).accelerator.attentionEfficiency - 92.0 / 312) < 0.006, "\(name)")
        }
        #expect(abs(try Fixture.preset("dgx-a100-80gb").accelerator.attentionEfficiency - 189.0 / 312) < 0.006)
    }

    /// Parts without bf16 say so with bf16 0 and an fp16 peak; the 16-bit peak falls back to fp16.
    @Test func partsWithoutBF16UseTheirFP16Peak() throws {
        for (name, fp16) in [("t4", 65.0), ("v100-16gb", 112), ("v100-32gb", 112)] {
            let peak = try Fixture.preset(name).accelerator.peakTFLOPS
            #expect(peak.bf16 == 0 && peak.fp16 == fp16 && peak.sixteenBit == fp16, "\(name)")
        }
        let h100 = try Fixture.preset("dgx-h100").accelerator.peakTFLOPS
        #expect(h100.fp16 == h100.bf16 && h100.sixteenBit == h100.bf16)
    }

    /// Every preset states host memory and the accelerator's host link (for CPU offload).
    @Test(arguments: Fixture.presetNames)
    func everyPresetHasHostMemoryAndHostLink(_ name: String) throws {
        let node = try Fixture.preset(name).node
        #expect((node.hostMemoryGiB ?? 0) > 0)
        #expect((node.hostLinkGBps ?? 0) > 0)
    }

    // MARK: Loading the new keys

    @Test func oldFilesDefaultToSwitched() throws {
        let topology = try TopologyLoader.parse(Fixture.minimalYAML)
        #expect(topology.interconnect == .switched)
        #expect(topology.torus == nil)
        #expect(topology.acceleratorsPerNode == topology.node.accelerators)
        #expect(topology.node.hostMemoryGiB == nil && topology.node.scaleUpDomain == nil)
    }

    @Test func badInterconnectValuesAreOneClearLine() throws {
        let unknown = Fixture.minimalYAML + "interconnect: mesh\n"
        #expect(expectTopologyError { _ = try TopologyLoader.parse(unknown) }?.message
                    == "interconnect is 'mesh', must be one of switched, pcie, torus")
        let missing = Fixture.minimalYAML + "interconnect: torus\n"
        #expect(expectTopologyError { _ = try TopologyLoader.parse(missing) }?.kind == .missingKey)
        let flat = Fixture.minimalYAML + """
            torus: {dimensions: 1, link_bandwidth_gbps: 50, wrap_multiple: 4, max_slice: [16], pod_chips: 16}

            """
        #expect(expectTopologyError { _ = try TopologyLoader.parse(flat) }?.message
                    == "torus.dimensions is 1, must be 2 or 3")
        let domain = Fixture.minimalYAML.replacingOccurrences(of: "accelerators: 4", with: "accelerators: 4\n  scale_up_domain: 6")
        #expect(expectTopologyError { _ = try TopologyLoader.parse(domain) }?.message
                    == "node.scale_up_domain is 6, must be a positive multiple of node.accelerators (4)")
        let noPeak = Fixture.minimalYAML.replacingOccurrences(of: "bf16: 40", with: "bf16: 0")
        #expect(expectTopologyError { _ = try TopologyLoader.parse(noPeak) }?.field == "accelerator.peak_tflops.bf16")
    }
}
