#!/usr/bin/env node
/**
 * The `seatkit` command (`npx seatkit migrate --url ...`). One command today: migrate.
 */
import { MIGRATE_USAGE, migrateCommand } from './migrate-command';

const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...args] = argv;
  if (command === 'migrate') {
    const { target } = await migrateCommand(args, process.env);
    console.log(`seatkit: tables are up to date in ${target}`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(MIGRATE_USAGE);
    return command === undefined ? 1 : 0;
  }
  console.error(`seatkit: unknown command '${command}'\n\n${MIGRATE_USAGE}`);
  return 1;
};

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(`seatkit: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
