truncate -s 134217729 content/video.mp4
