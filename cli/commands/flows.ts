import type { Command } from 'commander';

// Placeholder until the owning module lands; replaced in the same session.
export function registerFlowCommands(_program: Command): void {}
