import Testing
@testable import Hardware

/// Multi-slice TPU jobs: slice shapes from the Cloud TPU "supported topologies" tables (v4: 2x2x1,
/// 2x2x2, 2x2x4, 2x4x4, then whole 4x4x4 cubes up to 16x16x16; v5p up to 16x16x24; v5e/v6e: 1x1,
/// 2x2, 2x4, 4x4, 4x8, 8x8, 8x16, 16x16) and PaLM's two 3,072-chip pods (Chowdhery et al. 2022,
/// section 4).
@Suite struct TorusSlicesTests {
    @Test func palmRunsOnTwoSlicesOf12x16x16() throws {
        let v4 = try Fixture.preset("tpu-v4")
        let slices = try #require(try v4.torusSlices(gpus: 6144))
        #expect(slices == TorusSlices(count: 2, shape: [12, 16, 16]))
        #expect(slices.chipsPerSlice == 3072)
        #expect(slices.shapeText == "12x16x16")
        // The job's view: the scale-up domain is the 3,072-chip slice.
        let job = v4.restricted(to: slices)
        #expect(job.acceleratorsPerNode == 3072)
        #expect(job.torus?.sliceShape(chips: 3072) == [12, 16, 16])
        // One pod or less is one slice.
        #expect(try v4.torusSlices(gpus: 4096) == TorusSlices(count: 1, shape: [16, 16, 16]))
        #expect(try v4.torusSlices(gpus: 3072, slices: 2) == TorusSlices(count: 2, shape: [8, 12, 16]))
    }

    @Test func offeredShapesPerGeneration() throws {
        let v4 = try #require(try Fixture.preset("tpu-v4").torus)
        #expect(v4.offeredSliceChips(upTo: 512) == [4, 8, 16, 32, 64, 128, 192, 256, 384, 512])
        #expect(v4.offeredSliceShape(chips: 32) == [2, 4, 4])
        #expect(v4.offeredSliceShape(chips: 96) == nil)      // one and a half cubes
        #expect(v4.offeredSliceShape(chips: 320) == nil)     // 5 cubes: 4x4x20, longer than 16
        #expect(v4.offeredSliceShape(chips: 2) == nil)       // less than a host
        let v5p = try #require(try Fixture.preset("tpu-v5p").torus)
        #expect(v5p.offeredSliceShape(chips: 6144) == [16, 16, 24])
        #expect(v5p.offeredSliceShape(chips: 8192) == nil)   // more than the largest slice
        let v5e = try #require(try Fixture.preset("tpu-v5e").torus)
        #expect(v5e.offeredSliceChips(upTo: 256) == [1, 4, 8, 16, 32, 64, 128, 256])
        #expect(v5e.offeredSliceShape(chips: 128) == [8, 16])
        #expect(v5e.offeredSliceShape(chips: 12) == nil)
    }

    @Test func badSliceRequestsAreOneLine() throws {
        let v4 = try Fixture.preset("tpu-v4")
        #expect(expectTopologyError { try v4.torusSlices(gpus: 6144, slices: 5) }?.description
                == "--slices 5 does not divide --gpus 6144")
        #expect(expectTopologyError { try v4.torusSlices(gpus: 6144, slices: 1) }?.description
                == "--gpus 6144 / --slices 1 = 6144 chips per slice: tpu-v4 offers no slice of 6144 chips "
                + "(slices of 4, 8, 16, 32, 64, 128, ..., 4096 chips)")
        #expect(expectTopologyError { try v4.torusSlices(gpus: 6144, slices: 0) }?.kind == .invalidGPUCount)
        let h100 = try Fixture.preset("dgx-h100")
        #expect(try h100.torusSlices(gpus: 64) == nil)
        #expect(expectTopologyError { try h100.torusSlices(gpus: 64, slices: 2) }?.description
                == "--slices 2 needs a TPU torus cluster; dgx-h100 has no slices")
    }
}
