/** true when this process consumes jobs */
export const QUEUE_PROCESSING = Symbol('QUEUE_PROCESSING');
