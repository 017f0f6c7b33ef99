export { EventBus, type EngineEvent } from './event-bus';
export { matchesEventFilters, secondsToNanos } from './event-filter';
