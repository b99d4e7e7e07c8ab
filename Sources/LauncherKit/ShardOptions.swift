import ArgumentParser
import SolutionKit

/// `--shard-index I --shard-count N`: score only the rows k with k mod N = I (k counts rows from 0 in reading
/// order, header excluded), so N processes started by any scheduler split one file with no coordination.
struct ShardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Score only the rows of this shard, 0 ..< --shard-count (row k is in shard k mod N).",
                               valueName: "I"))
    var shardIndex: Int?

    @Option(help: ArgumentHelp("The number of shards the input is split into (default 1: every row).", valueName: "N"))
    var shardCount: Int?

    func validate() throws {
        switch (shardIndex, shardCount) {
        case (nil, nil): return
        case (nil, _?): throw ValidationError("--shard-count needs --shard-index (0 ..< N) too")
        case (_?, nil): throw ValidationError("--shard-index needs --shard-count too")
        case let (index?, count?):
            guard count >= 1 else { throw ValidationError("--shard-count must be at least 1, got \(count)") }
            guard RowShard(index: index, count: count) != nil else {
                throw ValidationError("--shard-index must be in 0 ..< \(count) (--shard-count), got \(index)")
            }
        }
    }

    /// The shard to score; every row when the options are absent (validate() has checked the values).
    var shard: RowShard {
        guard let shardIndex, let shardCount else { return .whole }
        return RowShard(index: shardIndex, count: shardCount) ?? .whole
    }
}
