"""Target review before the year starts (绩效目标审核): checks on 绩效目标表, no scoring."""
