import type { Command } from 'commander';

// Placeholder until the owning module lands; replaced in the same session.
export function registerNluCommandNlus(_program: Command): void {}
