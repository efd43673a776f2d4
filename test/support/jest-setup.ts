import { allowTrainingThreads } from '../../nlu/parallel';

// Jest already runs one test process per core: NLU training inside a test stays on its own thread.
allowTrainingThreads(false);
