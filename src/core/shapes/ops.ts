/** Registers every shape and fold function (each module registers itself on import). */
import './elementwise';
import './conv';
import './tensorOps';
import './indexing';
import './spatial';
import './matmul';
import './reductions';
import './recurrent';
import './control';
import './ml';
import './contrib';
import './lossesAndTraining';
import './attention';
import './signal';
import './strings';
import './folding';
