"""``tf.train``: optimizers, the global step, learning-rate schedules, checkpoints and the
queue-based input pipelines."""

from graphflow.framework.serialization import export_meta_graph, import_meta_graph
from graphflow.train import queue_runner
from graphflow.train.coordinator import Coordinator
from graphflow.train.input import (
    batch,
    input_producer,
    limit_epochs,
    range_input_producer,
    shuffle_batch,
    slice_input_producer,
    string_input_producer,
)
from graphflow.train.learning_rate_decay import (
    exponential_decay,
    inverse_time_decay,
    natural_exp_decay,
    piecewise_constant,
    polynomial_decay,
)
from graphflow.train.optimizer import Optimizer
from graphflow.train.optimizers import (
    AdadeltaOptimizer,
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    RMSPropOptimizer,
)
from graphflow.train.queue_runner import QueueRunner, add_queue_runner, start_queue_runners
from graphflow.train.saver import (
    CheckpointState,
    Saver,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_variable,
    update_checkpoint_state,
)
from graphflow.train.training_util import (
    create_global_step,
    get_global_step,
    get_or_create_global_step,
)

__all__ = [
    "Coordinator",
    "QueueRunner",
    "add_queue_runner",
    "batch",
    "input_producer",
    "limit_epochs",
    "queue_runner",
    "range_input_producer",
    "shuffle_batch",
    "slice_input_producer",
    "start_queue_runners",
    "string_input_producer",
    "CheckpointState",
    "Saver",
    "checkpoint_exists",
    "export_meta_graph",
    "get_checkpoint_state",
    "import_meta_graph",
    "latest_checkpoint",
    "list_variables",
    "load_variable",
    "update_checkpoint_state",
    "AdadeltaOptimizer",
    "AdagradOptimizer",
    "AdamOptimizer",
    "GradientDescentOptimizer",
    "MomentumOptimizer",
    "Optimizer",
    "RMSPropOptimizer",
    "create_global_step",
    "exponential_decay",
    "get_global_step",
    "get_or_create_global_step",
    "inverse_time_decay",
    "natural_exp_decay",
    "piecewise_constant",
    "polynomial_decay",
]
