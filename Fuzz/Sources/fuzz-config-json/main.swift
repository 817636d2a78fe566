import Foundation
import FuzzSupport
import Workloads

/// A `config.json` (Hugging Face) or Loom JSON model file: read, validate, count. Any thrown
/// error is a clean rejection; a trap, a sanitizer report, a hang or a non-finite count is a finding.
@_cdecl("fuzz_config_json_main")
public func fuzz_config_json_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.run(argc, argv, fuzzConfigJSON)
}

func fuzzConfigJSON(_ data: Data) {
    if let model = try? ModelCatalog.parse(data, file: "config.json") {
        Fuzz.checkModel(model)
    }
}
