/// A layout as a JAX device mesh the way MaxText builds it (`MaxText/configs/base.yml`, "Parallelism":
/// `mesh_axes`, `ici_*_parallelism` per slice, `dcn_*_parallelism` across slices; the product of
/// the ICI axes is the chips of one slice and that of the DCN axes the slice count).
///
/// Loom's layout maps onto it as: `tensor` = tp, `sequence` = cp, `expert` = ep, `fsdp` = the
/// group that shards weights, gradients and optimizer state (ZeRO-3; `fsdp` of the layout, all of
/// dp x cp when unstated), less the sequence axis, which shards the weights too (base.yml's
/// `logical_axis_rules` put `embed` on `fsdp` and `sequence`), `data` = the replicas of that group:
/// the data axis goes over DCN first, as MaxText recommends (`dcn_data_parallelism: -1`), and the
/// fsdp axis spans slices only when the replicas are fewer than the slices.
public struct JAXMesh: Sendable, Hashable {
    public struct Axis: Sendable, Hashable {
        public var ici: Int
        public var dcn: Int
        public var total: Int { ici * dcn }
    }

    public var data: Axis
    public var fsdp: Axis
    public var sequence: Axis
    public var tensor: Axis
    public var expert: Axis
    /// Pipeline stages (MaxText's `ici_pipeline_parallelism`), inside a slice.
    public var pipeline: Axis

    /// - Parameters: the layout's degrees (`dp` counts every replica of the tp x cp group), the
    ///   `fsdp` ranks of dp x cp that shard the weights (a multiple of cp, whose sequence axis
    ///   shards them too), and `slices` equal slices.
    public init?(tp: Int, cp: Int, dp: Int, ep: Int, fsdp shardRanks: Int, slices: Int, pp: Int = 1) {
        guard cp >= 1, shardRanks >= 1, shardRanks.isMultiple(of: cp) else { return nil }
        let shards = shardRanks / cp
        guard pp >= 1, tp >= 1, dp >= 1, ep >= 1, slices >= 1, dp.isMultiple(of: shards),
              shards.isMultiple(of: ep) else { return nil }
        let replicas = dp / shards
        let dcnData = gcd(replicas, slices)
        let dcnFSDP = slices / dcnData
        guard (shards / ep).isMultiple(of: dcnFSDP) else { return nil }
        data = Axis(ici: replicas / dcnData, dcn: dcnData)
        fsdp = Axis(ici: shards / ep / dcnFSDP, dcn: dcnFSDP)
        sequence = Axis(ici: cp, dcn: 1)
        tensor = Axis(ici: tp, dcn: 1)
        expert = Axis(ici: ep, dcn: 1)
        pipeline = Axis(ici: pp, dcn: 1)
    }

    /// The ranks of dp x cp that shard the weights under ZeRO stage `zero`, as MaxText can run
    /// it: together with gradients and optimizer state over its fsdp and sequence axes (ZeRO-3;
    /// the shard group, else all of dp x cp) or replicated on the data axis (ZeRO-0, which the
    /// sequence axis rules out); nil for ZeRO-1 and -2, which base.yml has no setting for.
    public static func shardRanks(zero: Int, dp: Int, cp: Int, shardGroup: Int?) -> Int? {
        switch zero {
        case 3: return shardGroup ?? dp * cp
        case 0 where cp == 1: return 1
        default: return nil
        }
    }

    /// Chips of one slice (product of the ICI axes).
    public var chipsPerSlice: Int { data.ici * fsdp.ici * sequence.ici * tensor.ici * expert.ici * pipeline.ici }
    /// Slices (product of the DCN axes).
    public var slices: Int { data.dcn * fsdp.dcn }

    /// (MaxText key, value) for every axis, DCN then ICI, in `base.yml`'s order; the expert and
    /// pipeline axes (later additions to base.yml) only when they are used.
    public var configKeys: [(String, Int)] {
        var keys = [("dcn_data_parallelism", data.dcn), ("dcn_fsdp_parallelism", fsdp.dcn),
                    ("dcn_sequence_parallelism", sequence.dcn), ("dcn_tensor_parallelism", tensor.dcn),
                    ("ici_data_parallelism", data.ici), ("ici_fsdp_parallelism", fsdp.ici),
                    ("ici_sequence_parallelism", sequence.ici), ("ici_tensor_parallelism", tensor.ici)]
        if expert.total > 1 { keys += [("dcn_expert_parallelism", expert.dcn), ("ici_expert_parallelism", expert.ici)] }
        if pipeline.total > 1 { keys.append(("ici_pipeline_parallelism", pipeline.ici)) }
        return keys
    }
}
