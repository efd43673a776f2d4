// Kept for `tsx bots/acme/main.ts`: the same as `npm start`, which runs app/main.ts (acme by default).
import '../../app/main';
