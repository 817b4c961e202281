import { loadBm25Corpus } from '@autotraj/tools';
import { formatTable, println } from '../io.js';
import { integerOption } from '../options.js';
import type { CliCommand } from './command.js';

/** `autotraj search --corpus corpus.jsonl "query"`: BM25 over a local JSONL corpus. */
export const searchCommand: CliCommand = {
  register(program, io) {
    program
      .command('search')
      .description(
        'Search a JSONL corpus ({id, title, text} per line) with BM25 and print the top hits.',
      )
      .requiredOption('--corpus <file>', 'JSONL corpus')
      .argument('<query>', 'what to search for')
      .option('--top-k <k>', 'number of hits', integerOption('--top-k'), 5)
      .option('--json', 'print hits as JSON lines')
      .action(async (query: string, options: { corpus: string; topK: number; json?: boolean }) => {
        const index = await loadBm25Corpus(options.corpus);
        const hits = index.searchSync(query, { topK: options.topK });
        if (options.json) {
          for (const hit of hits) println(io.stdout, JSON.stringify(hit));
          return;
        }
        if (hits.length === 0) {
          println(io.stdout, 'no matches');
          return;
        }
        const excerpt = (text: string) =>
          (text.length > 80 ? `${text.slice(0, 77)}...` : text).replace(/\s+/g, ' ');
        println(
          io.stdout,
          formatTable(
            hits.map((hit, i) => [
              i + 1,
              hit.score.toFixed(3),
              hit.id,
              hit.title,
              excerpt(hit.text),
            ]),
            ['#', 'score', 'id', 'title', 'text'],
          ),
        );
      });
  },
};
