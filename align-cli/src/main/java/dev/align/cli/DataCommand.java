package dev.align.cli;

import dev.align.core.json.Json;
import dev.align.data.shards.ShardInspector;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./align data}: the data pipeline's commands. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect WebDataset shards (importers of real data sets come next).",
        subcommands = {DataCommand.Inspect.class})
final class DataCommand {

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print a JSON summary of WebDataset shards: samples, members per "
                    + "extension, caption length histogram (words) and skipped samples by reason.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "SHARDS",
                description = "Shard files, brace patterns allowed: data/{00000..00099}.tar")
        String shards;

        @Override
        public Integer call() {
            System.out.println(Json.write(ShardInspector.inspect(shards)));
            return 0;
        }
    }
}
