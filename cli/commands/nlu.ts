import type { Command } from 'commander';

// Placeholder until the owning module lands; replaced in the same session.
export function registerNluCommands(_program: Command): void {}
