/**
 * `npm run sessions -- list PLAYER_ID | hand-over SESSION_ID PLAYER_ID`: table sessions for
 * operators, through a running server's admin API. A GM who lost their identity gets their
 * campaign back by being handed it under their new player id (audited).
 */
import { parseArgs } from "node:util";
import { ADMIN_ENV_HELP, call, fail } from "./adminHttp";

const USAGE = `npm run sessions -- <command>

  list PLAYER_ID                     the sessions this player is GM of
  hand-over SESSION_ID PLAYER_ID     makes PLAYER_ID the session's GM (the room must be closed)

  --json  print the server's JSON reply

${ADMIN_ENV_HELP}`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
});
const [command, first, second] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

switch (command) {
  case "list": {
    if (!first) fail("list needs a player id.");
    const { sessions } = (await call("GET", `/admin/sessions?gm=${encodeURIComponent(first)}`)) as {
      sessions: Array<{ id: string; code: string; title: string; updatedAt: string }>;
    };
    if (values.json) console.log(JSON.stringify(sessions, null, 2));
    else if (sessions.length === 0) console.log(`${first} is GM of no session.`);
    else for (const s of sessions) console.log(`${s.id}  ${s.code}  "${s.title}"  updated ${s.updatedAt}`);
    break;
  }
  case "hand-over": {
    if (!first || !second) fail("hand-over needs a session id and the new GM's player id.");
    const reply = (await call("POST", `/admin/sessions/${encodeURIComponent(first)}/gm`, { playerId: second })) as {
      id: string;
      gmPlayerId: string;
      previousGmPlayerId: string;
    };
    if (values.json) console.log(JSON.stringify(reply, null, 2));
    else console.log(`session ${reply.id}: GM is now ${reply.gmPlayerId} (was ${reply.previousGmPlayerId})`);
    break;
  }
  default:
    fail(`Unknown command "${command}".\n\n${USAGE}`);
}
