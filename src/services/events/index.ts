export { EventBus, type EngineEvent } from './event-bus';
