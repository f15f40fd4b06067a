package dev.keyline.adapters.state;

import dev.keyline.ports.out.UsageMeter;
import dev.keyline.ports.out.UsageMeterContract;

class InProcessUsageMeterTest extends UsageMeterContract {

    @Override
    protected UsageMeter createMeter() {
        return new InProcessUsageMeter(clock);
    }
}
