CREATE TABLE `title_engagement` (
	`title_id` integer PRIMARY KEY NOT NULL,
	`views` integer NOT NULL,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_title_engagement_views` ON `title_engagement` ("views" DESC,`title_id`);--> statement-breakpoint
ALTER TABLE `collection_clicks` ADD `click_count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `title_views` ADD `view_count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
INSERT INTO `title_engagement` (`title_id`, `views`) SELECT `title_id`, count(*) FROM `title_views` GROUP BY `title_id`;